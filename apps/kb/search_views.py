"""The search page and the JSON API: thin, both over the search engine's ``search``. They are
the domain's pages (the source filter names sources), so they live here, not in the engine."""

from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse, QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.text import name_key
from apps.search.engine import ORDERS, name_matches, search
from apps.search.index import kind_labels, model_of

from .models import Alias, Milestone, Passage, Source, WrittenDate
from .script import ORIGINAL, as_written, current_script

PAGE_SIZE = 20
MAX_PAGE = 1000
ORDER_LABELS = {"relevance": _("按相关度"), "date": _("按日期")}


class SearchForm(forms.Form):
    """What a search asks for. Every parameter is optional; one that is not valid is reported
    (in Chinese, naming the parameter as the URL spells it) and left at its default, so the
    search page still searches and the API can say what to fix."""

    q = forms.CharField(label=_("全文检索"), required=False, strip=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    order = forms.ChoiceField(label=_("排序"), required=False, choices=[(o, ORDER_LABELS[o]) for o in ORDERS])
    page = forms.IntegerField(label=_("页码"), required=False, min_value=1, max_value=MAX_PAGE)
    source = forms.ModelChoiceField(label=_("来源"), queryset=Source.objects.only("pk"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["q"].validators.clear()  # any text is a query: the engine drops what it cannot search
        fields["kind"].choices = list(kind_labels().items())
        for name in ("kind", "order"):
            options = "、".join(f"{value}（{label}）" for value, label in fields[name].choices)
            fields[name].error_messages["invalid_choice"] = self.about(
                name, gettext("不能是“%(value)s”；可选：{}。").format(options))
        pages = self.about("page", gettext("须是 1 到 {} 之间的整数。").format(MAX_PAGE))
        fields["page"].error_messages.update(invalid=pages, min_value=pages, max_value=pages)
        fields["source"].error_messages["invalid_choice"] = self.about(
            "source", gettext("须是一篇来源文章的编号，没有编号为“%(value)s”的文章。"))

    def about(self, name, message):
        """A message about a parameter, named as the page calls it and as the URL spells it."""
        return f"{self.fields[name].label}（{name}）{message}"

    @property
    def search_params(self) -> dict:
        """The search to run: what was asked and valid, the default for everything else."""
        self.is_valid()  # cleans once; a field that failed is left out of cleaned_data
        data = getattr(self, "cleaned_data", {})
        source = data.get("source")
        return {"q": data.get("q") or "", "kind": data.get("kind") or "", "order": data.get("order") or ORDERS[0],
                "page": data.get("page") or 1, "source": source.pk if source else None}

    @property
    def error_text(self) -> str:
        return "；".join(message for messages in self.errors.values() for message in messages)


def run(params):
    return search(
        params["q"], kinds=[params["kind"]] if params["kind"] else (), source_id=params["source"],
        order=params["order"], limit=PAGE_SIZE, offset=(params["page"] - 1) * PAGE_SIZE,
    )


def link_query(params) -> QueryDict:
    """The search as the links of its page carry it on (facets, order, source, pages): the valid
    parameters only, so a link never repeats an error."""
    query = QueryDict(mutable=True)
    for name in ("q", "kind", "order", "source"):
        if params[name] or name in {"q", "order"}:
            query[name] = params[name]
    return query


def record_facts(record) -> list[str]:
    """What a result says under its title: its kind, its status, its date as the source gives
    it (never a day the source did not give), or for a passage, its source and when."""
    if isinstance(record, Passage):
        source = record.source
        return [str(source), source.published_display] if source else []
    facts = []
    if hasattr(record, "get_kind_display"):
        facts.append(record.get_kind_display())
    if hasattr(record, "get_status_display"):
        facts.append(record.get_status_display())
    if isinstance(record, Milestone):
        facts.append(record.date_display)
    elif isinstance(record, WrittenDate):
        facts.append(record.date_display)  # as precise as the source, never a made-up day
    return [f for f in facts if f]


def records_of(results) -> dict:
    """(kind, id) → record, a query per kind on the page."""
    wanted: dict[str, list[int]] = {}
    for r in results:
        wanted.setdefault(r.kind, []).append(r.id)
    found = {}
    for kind, ids in wanted.items():
        model = model_of(kind)
        queryset = model.objects.all()
        if model is Passage:
            queryset = queryset.select_related("source")
        for pk, record in queryset.in_bulk(ids).items():
            found[kind, pk] = record
    return found


def alias_matches(q: str, kinds) -> list[tuple[str, int]]:
    """(kind, object id) of the records one of whose aliases is the query, in either script."""
    by_model = {model_of(k): k for k in kinds}
    found = []
    for alias in Alias.objects.naming(q).select_related("content_type")[:10]:
        kind = by_model.get(alias.content_type.model_class())
        if kind:
            found.append((kind, alias.object_id))
    return found


def next_milestone(record):
    """The soonest planned milestone of a record (None for a milestone or a passage)."""
    milestones = getattr(record, "milestones", None)
    if milestones is None or isinstance(record, Milestone):
        return None
    return milestones.planned().order_by("date", "title").first()


# A name begun is taken as a name only from this many characters (渝昆 could be many things).
PREFIX_CARD_MIN = 4


def name_card(q: str):
    """The record the query names, as the card shown first, with how it was matched: its name
    (in either script; the best ranked one when several have it), else one of its aliases, else
    the beginning of its name when exactly one record that is not a milestone begins so
    (渝昆高铁 → 渝昆高铁川渝段; its milestones' titles begin so too, but they are events of it).
    None when the query names nothing."""
    record_kinds = [k for k in kind_labels() if model_of(k) is not Passage]
    how = _("名称相符")
    matches = name_matches(q, kinds=record_kinds)
    if not matches:
        how, matches = _("别名相符"), alias_matches(q, record_kinds)
    if not matches and len(name_key(q)) >= PREFIX_CARD_MIN:
        named = [k for k in record_kinds if model_of(k) is not Milestone]
        begun = name_matches(q, kinds=named, prefix=True)
        how, matches = _("名称以“%(q)s”开头") % {"q": q.strip()}, begun if len(begun) == 1 else []
    if not matches:
        return None
    kind, pk = matches[0]
    record = model_of(kind).objects.filter(pk=pk).first()
    if record is None:
        return None
    return {"kind": kind, "id": pk, "record": record, "kind_label": kind_labels()[kind], "how": how,
            "facts": record_facts(record), "next": next_milestone(record), "url": record.get_absolute_url()}


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        params = form.search_params  # a page, not a 500: the errors are shown, the defaults used
        result = run(params)
        card = name_card(params["q"]) if params["q"] and params["page"] == 1 else None
        records = records_of(result.results)
        hits = [(r, record_facts(records[r.kind, r.id]) if (r.kind, r.id) in records else [])
                for r in result.results if not (card and (r.kind, r.id) == (card["kind"], card["id"]))]
        shown, _ = result.count_of(params["kind"])  # past the cap, pages up to the cap
        try:
            page_obj = Paginator(range(shown), PAGE_SIZE).page(params["page"])
        except EmptyPage:
            page_obj = None  # past the last page: no results, and no pager pretending otherwise
        return super().get_context_data(
            form=form, params=params, result=result, card=card, hits=hits, error=form.error_text,
            shown=shown, shown_display=result.count_display(params["kind"]), page_obj=page_obj,
            search_query=link_query(params), orders=form.fields["order"].choices,
            kinds=[(k, label, result.counts.get(k, 0), result.count_display(k)) for k, label in kind_labels().items()],
            sources=Source.objects.only("pk", "title") if params["q"] else [],
            **kwargs,
        )


def api_search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        errors = {field: list(messages) for field, messages in form.errors.items()}
        return JsonResponse({"error": form.error_text, "errors": errors}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    params = form.search_params
    result = run(params)
    script = current_script(request)

    def shown(text):  # the response is converted; a Traditional original stays as written (apps/kb/script.py)
        return as_written(str(text or ""), script) if script == ORIGINAL else text

    count, exact = result.count_of(params["kind"])
    return JsonResponse({
        "query": params["q"],
        # Counted exactly up to the cap (settings.SEARCH_COUNT_CAP); past it, the cap and false.
        "count": count,
        "count_is_exact": exact,
        "counts": result.counts,
        "counts_exact": {kind: kind not in result.capped for kind in result.counts},
        "page": params["page"],
        "results": [
            {"kind": r.kind, "id": r.id, "title": shown(r.title), "url": request.build_absolute_uri(r.url),
             "snippet": shown(r.snippet), "text": shown(r.text), "score": round(r.score, 6)}
            for r in result.results
        ],
    }, json_dumps_params={"ensure_ascii": False})
