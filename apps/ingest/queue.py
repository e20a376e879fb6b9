"""Where the candidates of a bulk import go: the review queue (待审核), never straight onto the
public pages.

placeholder: the review-queue branch replaces this module. It stores nothing and only says how
many candidates there are, so the corpus import can report them.
"""


def propose(source, parsed) -> int:
    """Store the candidate records of ``parsed`` (read from ``source``) for review; the number
    stored."""
    return parsed.candidate_count
