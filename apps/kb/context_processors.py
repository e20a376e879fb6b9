from .script import current_script


def script(request):
    """Which script the reader chose for display: simp (default) or orig (as the source wrote it)."""
    return {"script": current_script(request)}
