"""Peer engines for ``bench/search.py --peers``, on the same passages and queries.

tantivy: every normalised character a token with its position; a literal is a phrase of its
characters (a single character a term), so a hit is an exact substring, no containment check;
BM25; exact counts. whoosh + jieba's ChineseAnalyzer: what a Django project gets through
haystack; its recall of substrings jieba does not emit as words is reported, not fixed.

Both are optional (``pip install -e ".[bench]"``); a missing one is reported as skipped.
"""

import shutil
import time
from pathlib import Path


class Peer:
    name = ""

    def build(self, texts: list[str], directory: Path): ...

    def search(self, groups: list[list[str]], limit: int = 20) -> tuple[int, list[int]]:
        """(exact count, ids of the first ``limit`` hits by rank)."""
        raise NotImplementedError


class Tantivy(Peer):
    name = "tantivy"

    def build(self, texts, directory):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True)
        builder.add_text_field("text", stored=False, tokenizer_name="char", index_option="position")
        self.schema = builder.build()
        analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S")).build()
        fresh = not (directory / "meta.json").exists()
        directory.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(directory))
        self.index.register_tokenizer("char", analyzer)
        if fresh:
            writer = self.index.writer(heap_size=200_000_000, num_threads=1)
            for i, text in enumerate(texts):
                writer.add_document(tantivy.Document(id=i, text=text))
            writer.commit()
            writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def literal(self, term):
        import tantivy

        chars = [c for c in term if not c.isspace()]
        if len(chars) == 1:
            return tantivy.Query.term_query(self.schema, "text", chars[0])
        return tantivy.Query.phrase_query(self.schema, "text", chars)

    def search(self, groups, limit=20):
        import tantivy

        clauses = []
        for group in groups:
            alternatives = [self.literal(t) for t in group]
            query = (
                alternatives[0]
                if len(alternatives) == 1
                else tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in alternatives])
            )
            clauses.append((tantivy.Occur.Must, query))
        query = clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        result = self.searcher.search(query, limit=limit, count=True)
        return result.count, [self.searcher.doc(address)["id"][0] for _, address in result.hits]


class Whoosh(Peer):
    name = "whoosh"

    def build(self, texts, directory):
        from jieba.analyse import ChineseAnalyzer
        from whoosh import index
        from whoosh.fields import NUMERIC, TEXT, Schema

        schema = Schema(id=NUMERIC(stored=True, bits=64), text=TEXT(analyzer=ChineseAnalyzer()))
        if directory.exists() and index.exists_in(str(directory)):
            self.index = index.open_dir(str(directory))
        else:
            directory.mkdir(parents=True, exist_ok=True)
            self.index = index.create_in(str(directory), schema)
            writer = self.index.writer(limitmb=256)
            for i, text in enumerate(texts):
                writer.add_document(id=i, text=text)
            writer.commit()
        self.searcher = self.index.searcher()

    def search(self, groups, limit=20):
        from whoosh.query import And, Or, Phrase, Term

        field = "text"
        analyzer = self.index.schema[field].analyzer

        def literal(term):
            words = [t.text for t in analyzer(term)]
            if not words:
                return Term(field, term)
            return Term(field, words[0]) if len(words) == 1 else Phrase(field, words)

        query = And([Or([literal(t) for t in group]) if len(group) > 1 else literal(group[0]) for group in groups])
        results = self.searcher.search(query, limit=limit)
        return len(results), [hit["id"] for hit in results]


PEERS = (Tantivy, Whoosh)


def build_peers(texts, directory: Path, reuse: bool, log, names=None) -> list[tuple[Peer, float | None]]:
    """Each peer (of ``names``, or all) that imports, indexed (or reopened, with ``reuse``):
    (peer, seconds to index)."""
    built = []
    for cls in PEERS:
        if names and cls.name not in names:
            continue
        peer = cls()
        where = directory / peer.name
        if not reuse and where.exists():
            shutil.rmtree(where)
        fresh = not where.exists()
        started = time.perf_counter()
        try:
            peer.build(texts, where)
        except ImportError as error:
            log(f"{peer.name}: skipped ({error}); pip install -e '.[bench]'")
            continue
        built.append((peer, time.perf_counter() - started if fresh else None))
    return built
