import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction

from apps.kb.groups import PLANNERS, VIEWERS
from apps.kb.models import (
    Agreement,
    Initiative,
    Milestone,
    Organization,
    Passage,
    Place,
    PolicyDocument,
    Project,
    Source,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Logins and users are made in many tests; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded_plan(django_db_setup, django_db_blocker):
    """The committed plan, loaded once per test module inside a transaction that is rolled back
    when the module ends. Each test runs in its own savepoint inside it (as Django's
    TestCase.setUpTestData does), so what a test writes is gone for the next one."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("load_plan", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def plan(loaded_plan, db):
    """The committed plan (tests/conftest.py loads it once per module, not per test)."""


@pytest.fixture
def planner(db):
    user = User.objects.create_user("planner", password="pw-planner-1", is_staff=True)
    user.groups.add(Group.objects.get(name=PLANNERS))
    return user


@pytest.fixture
def viewer(db):
    user = User.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)
    user.groups.add(Group.objects.get(name=VIEWERS))
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-root-1")


@pytest.fixture
def small_plan(db):
    """A hand-made plan of every kind of record, in Traditional script like the seed."""
    source = Source.objects.create(
        slug="test-source", title="測試文章", script=Source.Script.TRADITIONAL, reference_year=2020,
        text="瀘州與永川籤署合作協議。\n渝昆高鐵川渝段預計12月底動工。",
    )
    p1 = Passage.objects.create(source=source, position=1, text="瀘州與永川籤署合作協議。")
    p2 = Passage.objects.create(source=source, position=2, text="渝昆高鐵川渝段預計12月底動工。")
    sichuan = Place.objects.create(slug="sichuan", name="四川省", level=Place.Level.PROVINCE)
    luzhou = Place.objects.create(slug="luzhou", name="瀘州市", level=Place.Level.CITY, parent=sichuan)
    yongchuan = Place.objects.create(slug="yongchuan", name="永川區", level=Place.Level.DISTRICT)
    ndrc = Organization.objects.create(slug="ndrc", name="瀘州市發展改革委", kind="department", place=luzhou)
    goal = Initiative.objects.create(slug="goal", name="兩中心兩區兩地", kind="goal")
    child = Initiative.objects.create(slug="zone", name="融合發展示範區", kind="platform", parent=goal)
    project = Project.objects.create(
        slug="yukun", name="渝昆高鐵川渝段", kind=Project.Kind.RAILWAY,
        status=Project.Status.APPROVED, quote="渝昆高鐵川渝段預計12月底動工。",
    )
    project.evidence.add(p2)
    project.initiatives.add(child)
    agreement = Agreement.objects.create(slug="luzhou-yongchuan", name="瀘州—永川合作協議", quote="瀘州與永川籤署合作協議。")
    agreement.party_places.add(luzhou, yongchuan)
    agreement.evidence.add(p1)
    document = PolicyDocument.objects.create(slug="plan-doc", title="瀘州市加快西部陸海新通道建設實施方案", issuer=ndrc, status="issued")
    milestone = Milestone.objects.create(
        slug="yukun-start", title="渝昆高鐵川渝段動工", date=datetime.date(2020, 12, 21),
        date_precision=Milestone.Precision.LATE_MONTH, date_text="12月底", status=Milestone.Status.PLANNED,
        project=project, quote="渝昆高鐵川渝段預計12月底動工。",
    )
    milestone.evidence.add(p2)
    return {
        "source": source, "passages": [p1, p2], "places": [sichuan, luzhou, yongchuan], "organization": ndrc,
        "initiatives": [goal, child], "project": project, "agreement": agreement, "document": document,
        "milestone": milestone,
    }
