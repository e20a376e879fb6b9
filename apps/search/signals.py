"""The index follows every save and delete of a searchable record, however it happens."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .index import index_objects, kinds, remove_objects


def on_save(sender, instance, **kwargs):
    index_objects([instance])


def on_delete(sender, instance, **kwargs):
    remove_objects(kinds()[sender], [instance.pk])


def on_evidence_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    # A record's source (for the source filter) comes from its evidence. Changed from the
    # passage's side (passage.projects.add(...)), the records are the ones in pk_set.
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        index_objects([instance])
    elif pk_set:
        index_objects(list(model.objects.filter(pk__in=pk_set).prefetch_related("evidence")))


def on_source_saved(sender, instance, **kwargs):
    # Passage titles carry the source's title and date.
    index_objects(list(instance.passages.select_related("source")))


def connect():
    from apps.kb.models import Source

    for model in kinds():
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
        if hasattr(model, "evidence"):
            m2m_changed.connect(on_evidence_changed, sender=model.evidence.through,
                                dispatch_uid=f"search-evidence-{model.__name__}")
    post_save.connect(on_source_saved, sender=Source, dispatch_uid="search-source-saved")
