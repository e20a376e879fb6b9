"""What a record's search entry depends on beyond its own fields: its evidence (the sources it
is found under, the first one shown) and, for a passage, its source's title and date."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from apps.search.index import reindex

from .models import Alias, EvidencedModel, Passage, Source


def on_evidence_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A record is found under every source it is evidenced in: its entry follows its evidence,
    changed from either side."""
    if reverse and action == "pre_clear":  # passage.projects.clear(): no ids are sent after it
        instance._clearing = list(model.objects.filter(evidence=instance))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        reindex([instance])
    elif pk_set:  # changed from the passage's side (passage.projects.add(...))
        reindex(model.objects.filter(pk__in=pk_set))
    elif action == "post_clear":
        reindex(getattr(instance, "_clearing", []))


def on_source_saved(sender, instance, created, **kwargs):
    if not created:  # a new source has no passages yet
        reindex(instance.passages.select_related("source"))


def on_alias_changed(sender, instance, **kwargs):
    """A record is found by its aliases: its search entry follows them."""
    model = instance.content_type.model_class()
    if model is None or not issubclass(model, EvidencedModel):
        return
    # filter, not get: when the record itself is being deleted, its aliases go with it.
    record = model.objects.filter(pk=instance.object_id).first()
    if record is not None:
        reindex([record])


def citing(passage) -> list:
    return [record for model in EvidencedModel.__subclasses__() for record in model.objects.filter(evidence=passage)]


def on_passage_saved(sender, instance, created, raw, **kwargs):
    if not created and not raw and instance.moved_source:  # its records are now evidenced in another source
        reindex(citing(instance))
        instance.loaded_source_id = instance.source_id


def on_passage_deleting(sender, instance, **kwargs):
    # The delete removes the evidence rows without an m2m_changed signal: the records citing the
    # passage are found now and re-indexed when it is gone (their source may change with it).
    instance._citing = citing(instance)


def on_passage_deleted(sender, instance, **kwargs):
    if getattr(instance, "_citing", None):
        reindex(instance._citing)


def connect():
    for model in EvidencedModel.__subclasses__():
        m2m_changed.connect(on_evidence_changed, sender=model.evidence.through,
                            dispatch_uid=f"kb-evidence-{model.__name__}")
    post_save.connect(on_source_saved, sender=Source, dispatch_uid="kb-source-saved")
    post_save.connect(on_alias_changed, sender=Alias, dispatch_uid="kb-alias-saved")
    post_delete.connect(on_alias_changed, sender=Alias, dispatch_uid="kb-alias-deleted")
    post_save.connect(on_passage_saved, sender=Passage, dispatch_uid="kb-passage-saved")
    pre_delete.connect(on_passage_deleting, sender=Passage, dispatch_uid="kb-passage-deleting")
    post_delete.connect(on_passage_deleted, sender=Passage, dispatch_uid="kb-passage-deleted")
