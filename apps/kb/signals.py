"""What a record's search entry depends on beyond its own fields: its evidence (the source it
is filed under) and, for a passage, its source's title and date."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.search.index import reindex

from .models import Alias, EvidencedModel, Source


def on_evidence_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        reindex([instance])
    elif pk_set:  # changed from the passage's side (passage.projects.add(...))
        reindex(model.objects.filter(pk__in=pk_set))


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


def connect():
    for model in EvidencedModel.__subclasses__():
        m2m_changed.connect(on_evidence_changed, sender=model.evidence.through,
                            dispatch_uid=f"kb-evidence-{model.__name__}")
    post_save.connect(on_source_saved, sender=Source, dispatch_uid="kb-source-saved")
    post_save.connect(on_alias_changed, sender=Alias, dispatch_uid="kb-alias-saved")
    post_delete.connect(on_alias_changed, sender=Alias, dispatch_uid="kb-alias-deleted")
