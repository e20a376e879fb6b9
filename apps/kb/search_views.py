"""The search page and the JSON API: thin, both over the search engine's ``search``. They are
the domain's pages (the source filter names sources), so they live here, not in the engine."""

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.views.generic import TemplateView

from apps.search.engine import ORDERS, search
from apps.search.index import kind_labels

from .models import Source

PAGE_SIZE = 20


class InvalidParameter(ValueError):
    pass


def read_params(params):
    kind = params.get("kind", "")
    if kind and kind not in kind_labels():
        raise InvalidParameter(f"unknown kind {kind!r}; use one of {', '.join(kind_labels())}")
    order = params.get("order", "relevance") or "relevance"
    if order not in ORDERS:
        raise InvalidParameter(f"unknown order {order!r}; use relevance or date")
    try:
        page = int(params.get("page", "1") or "1")
        source = int(params["source"]) if params.get("source") else None
    except ValueError:
        raise InvalidParameter("page and source must be whole numbers") from None
    if page < 1 or page > 1000:
        raise InvalidParameter("page must be between 1 and 1000")
    if source is not None and not 0 < source < 2**62:
        raise InvalidParameter("source must be the id of a source")
    return {"q": params.get("q", ""), "kind": kind, "order": order, "page": page, "source": source}


def run(params):
    return search(
        params["q"], kinds=[params["kind"]] if params["kind"] else (), source_id=params["source"],
        order=params["order"], limit=PAGE_SIZE, offset=(params["page"] - 1) * PAGE_SIZE,
    )


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        try:
            params = read_params(self.request.GET)
            error = ""
        except InvalidParameter as exc:
            # A page, not a 500: show the error and search with the defaults.
            params, error = read_params({"q": self.request.GET.get("q", "")}), str(exc)
        result = run(params)
        shown = result.counts.get(params["kind"], 0) if params["kind"] else result.count
        try:
            page_obj = Paginator(range(shown), PAGE_SIZE).page(params["page"])
        except EmptyPage:
            page_obj = None  # past the last page: no results, and no pager pretending otherwise
        return super().get_context_data(
            params=params, result=result, error=error, shown=shown, page_obj=page_obj,
            kinds=[(k, label, result.counts.get(k, 0)) for k, label in kind_labels().items()],
            sources=Source.objects.only("pk", "title") if params["q"] else [],
            **kwargs,
        )


def api_search(request):
    try:
        params = read_params(request.GET)
    except InvalidParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    result = run(params)
    return JsonResponse({
        "query": params["q"],
        "count": result.counts.get(params["kind"], 0) if params["kind"] else result.count,
        "counts": result.counts,
        "page": params["page"],
        "results": [
            {"kind": r.kind, "id": r.id, "title": r.title, "url": request.build_absolute_uri(r.url),
             "snippet": r.snippet, "text": r.text, "score": round(r.score, 6)}
            for r in result.results
        ],
    }, json_dumps_params={"ensure_ascii": False})
