import pytest

from apps.kb.history import record_created
from apps.kb.models import Passage, Source

pytestmark = pytest.mark.django_db

# What a history row says of its record, apart from its own id and time.
COMPARED = ("id", "version", "source_id", "position", "kind", "section", "text",
            "history_type", "history_change_reason", "history_user_id")


def rows(history_rows):
    return sorted(history_rows.values_list(*COMPARED))


@pytest.fixture
def sources():
    one = Source.objects.create(slug="one", title="一", text="甲\n乙")
    other = Source.objects.create(slug="other", title="二", text="丙")
    Passage.objects.bulk_create([
        Passage(source=one, position=1, kind="heading", section="", text="一、甲"),
        Passage(source=one, position=2, section="一、甲", text="甲'乙\"丙\\丁，100%"),
        Passage(source=other, position=1, text="丙"),
    ])
    return one, other


def test_the_rows_are_those_simple_history_writes(sources):
    one, _ = sources
    written = record_created(Passage.objects.filter(source=one), "批量导入")
    ours = rows(Passage.history.all())
    Passage.history.all().delete()
    Passage.history.bulk_history_create(list(Passage.objects.filter(source=one)), default_change_reason="批量导入")
    assert written == 2
    assert ours == rows(Passage.history.all())
    assert {row[-3:] for row in ours} == {("+", "批量导入", None)}


def test_records_outside_the_queryset_get_no_row(sources):
    one, other = sources
    record_created(Passage.objects.filter(source=one), "批量导入")
    assert not Passage.history.filter(source_id=other.pk).exists()
    assert Passage.history.count() == 2


def test_nothing_is_written_with_history_switched_off(sources, settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    assert record_created(Passage.objects.all(), "批量导入") == 0
    assert not Passage.history.exists()
