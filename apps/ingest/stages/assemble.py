"""Stage 5 — assemble: mentions and what was attached to them → the candidate records of a
``ParsedArticle``. Headings, photo captions and credits yield no record by themselves; a
subtitle yields names but no events."""

from apps.core.text import normalise
from apps.core.vocabulary import DocumentStatus, MilestoneStatus

from .. import gazetteer
from ..records import (
    AgreementCandidate,
    DocumentCandidate,
    InitiativeCandidate,
    MilestoneCandidate,
    OrganizationCandidate,
    ParsedArticle,
    PlaceCandidate,
    ProjectCandidate,
)
from . import attach
from .mentions import Mention
from .resolve import Group, key_of
from .split import Sentence

READ_NAMES = {"paragraph", "subtitle"}
READ_EVENTS = {"paragraph"}


def add_place(article: ParsedArticle, gz: gazetteer.Gazetteer, code: str, *, implied: bool) -> str:
    key = gz.key(code)
    division = gz.divisions[code]
    if key not in article.places:
        parent = add_place(article, gz, division.parent, implied=True) if division.parent else None
        article.places[key] = PlaceCandidate(
            key=key, name=division.name, level=division.level, parent=parent, code=code, implied=implied
        )
    elif not implied:
        article.places[key].implied = False
    return key


def assemble(
    article: ParsedArticle,
    sentences: list[Sentence],
    mentions: list[Mention],
    groups: list[Group],
    gz: gazetteer.Gazetteer,
) -> ParsedArticle:
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for group in groups:
        if group.items:
            s = sentences[group.sentence]
            record = article.initiatives.setdefault(
                group.key, InitiativeCandidate(key=group.key, name=group.name, kind="goal")
            )
            record.cite(s.passage, s.quote)
    since, passage = None, None  # the date that opened the paragraph's account (今年4月以来，…)
    for i, s in enumerate(sentences):
        if s.kind not in READ_NAMES:
            continue
        here = sorted(by_sentence.get(i, []), key=lambda m: m.start)
        if s.passage != passage:
            since, passage = None, s.passage
        places_and_names(article, gz, s, here, since)
        if s.kind in READ_EVENTS:
            agreements(article, s, here, since)
            since = attach.opening_since(s, here) or since
    serve_initiatives(article, sentences, by_sentence)
    names = {("project", k): r.name for k, r in article.projects.items()}
    names.update({("initiative", k): r.name for k, r in article.initiatives.items()})
    names.update({("agreement", k): r.name for k, r in article.agreements.items()})
    names.update({("document", k): f"《{r.title}》" for k, r in article.documents.items()})
    for i, s in enumerate(sentences):
        if s.kind in READ_EVENTS:
            for dated in attach.milestones_in(i, s, by_sentence.get(i, []), names):
                add_milestone(article, s, dated)
    return article


def places_and_names(article, gz, s: Sentence, here: list[Mention], since: Mention | None = None):
    projects = [m for m in here if m.kind == "project"]
    previous_org = None
    for m in here:
        if m.kind == "place":
            add_place(article, gz, m.code, implied=False)
            article.places[m.data["key"]].cite(s.passage, s.quote)
        elif m.kind == "organization":
            previous_org = add_organization(article, s, m, here, previous_org)
        elif m.kind == "initiative":
            record = article.initiatives.setdefault(
                m.data["key"],
                InitiativeCandidate(
                    key=m.data["key"], name=m.name, kind=m.label or "task", parent=m.data.get("parent")
                ),
            )
            record.parent = record.parent or m.data.get("parent")  # named before its group listed it
            record.cite(s.passage, s.quote)
        elif m.kind == "project":
            later = [p.start for p in projects if p.start > m.start and s.clause_at(p.start) > s.clause_at(m.start)]
            record = article.projects.setdefault(
                m.data["key"], ProjectCandidate(key=m.data["key"], name=m.name, kind=m.label)
            )
            if len(normalise(m.name)) > len(normalise(record.name)):
                record.name = m.name  # G246 first, G246泸永公路 later: keep the fuller name
            record.cite(s.passage, s.quote)
            status = attach.project_status(s, m, later[0] if later else len(s.norm))
            if attach.STATUS_RANK[status] > attach.STATUS_RANK[record.status]:
                record.status = status
            a, b = s.clauses[s.clause_at(m.start)]
            for p in here:
                if p.kind == "place" and a <= p.start < b and p.data["key"] not in record.places:
                    record.places.append(p.data["key"])
        elif m.kind == "document":
            document(article, s, m, here, since)


def add_organization(article, s: Sentence, m: Mention, here: list[Mention], previous):
    place = next((p for p in here if p.kind == "place" and p.start == m.start), None)
    name = m.name
    place_key = place.data["key"] if place else None
    if place is None and previous and s.norm[previous[0].end : m.start] == "、" and previous[1]:
        written = previous[1].name  # 重庆市发改委、交通局 → 重庆市交通局; 泸州市委、市政府 → 泸州市政府
        shared = normalise(written)[-1] == normalise(name)[0]
        name = (written[:-1] if shared else written) + name
        place, place_key = previous[1], previous[1].data["key"]
    key = key_of(name)
    record = article.organizations.setdefault(
        key, OrganizationCandidate(key=key, name=name, kind=m.label, place=place_key)
    )
    record.cite(s.passage, s.quote)
    m.data["key"] = key
    return (m, place)


def document(article, s: Sentence, m: Mention, here: list[Mention], since: Mention | None = None):
    if m.data.get("alias_of"):
        record = next((d for d in article.documents.values() if normalise(d.title) == m.data["alias_of"]), None)
        if record:
            record.cite(s.passage, s.quote)
            return
    key = m.data["key"]
    record = article.documents.setdefault(key, DocumentCandidate(key=key, title=m.name))
    status = attach.document_status(s, m)
    if attach.DOC_RANK[status] > attach.DOC_RANK[record.status]:
        record.status = status
    if status == DocumentStatus.ISSUED and record.issuer is None:
        orgs = [o for o in here if o.kind == "organization" and o.end <= m.start and "key" in o.data]
        record.issuer = orgs[0].data["key"] if orgs else None
    if status != DocumentStatus.REFERENCED and s.kind in READ_EVENTS:
        # Issued, being drafted or to be issued here: the sentence's date says when. A document
        # only cited (入选《…》名单) is not dated by what happened to something else.
        date_from(record, attach.record_date(s, m, here, since))
    title = normalise(record.title)
    for key_, initiative in article.initiatives.items():
        if (
            title.startswith(normalise(initiative.name))
            and key_ not in record.initiatives
            and len(initiative.name) >= 4
        ):
            record.initiatives.append(key_)  # 《泸永江融合发展示范区总体方案》 governs that zone
    record.cite(s.passage, s.quote)


def date_from(record, phrase: Mention | None):
    """The record's date, from the first phrase that dates it: as precise as the phrase (去年11月
    is a month, never a day), with the phrase as written."""
    if phrase is None or record.date is not None:
        return
    record.date, record.precision = phrase.data["date"].date, phrase.data["date"].precision
    record.date_text = phrase.name[:50]


def agreements(article, s: Sentence, here: list[Mention], since: Mention | None = None):
    previous = None
    for m in (x for x in here if x.kind == "agreement"):
        places, orgs = attach.agreement_parties(s, m, here)
        if not places and not orgs and previous:
            places, orgs = previous
        previous = (places, orgs)
        org_keys = list(dict.fromkeys(o.data["key"] for o in orgs if "key" in o.data))
        org_places = {article.organizations[k].place for k in org_keys}
        place_keys = without_parents(article, list(dict.fromkeys(p.data["key"] for p in places)))
        place_keys = [k for k in place_keys if k not in org_places]
        noun = m.data.get("noun", m.name)
        if m.data.get("titled"):
            name = m.name
        else:
            written = {}
            for x in sorted(places + orgs, key=lambda x: x.start):
                k = x.data.get("key")
                if k in place_keys + org_keys and k not in written and len(x.name) > 1:
                    written[k] = x.name  # as the sentence writes them (not 瀘 of 莅瀘)
            named = list(written.values())
            if not named:
                meeting = next(
                    (o for o in here if o.kind == "organization" and o.label == "meeting" and "key" in o.data), None
                )
                named = [article.organizations[meeting.data["key"]].name] if meeting else []
            name = "、".join(named) + m.name
        key = m.data.get("key") or key_of(name)
        record = article.agreements.setdefault(
            key,
            AgreementCandidate(
                key=key, name=name, kind=attach.agreement_kind(noun), places=place_keys, organizations=org_keys
            ),
        )
        count, minimum = attach.count_of(s, m)
        if count:
            record.count, record.count_is_minimum = count, minimum
        date_from(record, attach.record_date(s, m, here, since))
        record.cite(s.passage, s.quote)
        m.data["key"] = key


def without_parents(article, keys: list[str]) -> list[str]:
    """重庆 in 重庆永川 only says where 永川 is: drop a place when its child is named too."""
    parents = {article.places[k].parent for k in keys}
    return [k for k in keys if k not in parents]


def serve_initiatives(article, sentences: list[Sentence], by_sentence):
    """「推动成渝地区双城经济圈建设项目」: the projects of that passage and the next serve the
    initiative named before 建设项目."""
    positions = sorted({s.passage for s in sentences})
    for i, s in enumerate(sentences):
        for m in by_sentence.get(i, []):
            if (
                m.kind == "initiative"
                and s.norm[m.end : m.end + 4] == "建设项目"
                and m.data.get("key") in article.initiatives
            ):
                at = positions.index(s.passage)
                serving = set(positions[at : at + 2])
                for project in article.projects.values():
                    if set(project.evidence) & serving and m.data["key"] not in project.initiatives:
                        project.initiatives.append(m.data["key"])


def add_milestone(article, s: Sentence, dated: attach.Dated):
    record = article.milestones.setdefault(
        dated.key,
        MilestoneCandidate(
            key=dated.key,
            title=dated.title,
            date=dated.date,
            precision=dated.precision,
            date_text=dated.date_text,
            status=MilestoneStatus.PLANNED if dated.planned else MilestoneStatus.DONE,
            concerns=dated.concerns,
        ),
    )
    record.cite(s.passage, s.quote)
