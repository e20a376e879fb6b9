"""The index follows every save and delete of a searchable model, however it happens
(admin, loaddata, import). What else a record's entry depends on (its evidence, its
source's title) the domain declares itself: it calls ``index.reindex``."""

from django.db.models.signals import post_delete, post_save

from .index import indexed_models, reindex, unindex


def on_save(sender, instance, **kwargs):
    reindex([instance])


def on_delete(sender, instance, **kwargs):
    unindex(sender, [instance.pk])


def connect():
    for model in indexed_models():
        post_save.connect(on_save, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(on_delete, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")
