"use strict";
// The import review: the row being edited shows its evidence sentence in the article beside it.
{
    const pane = document.querySelector(".review-article");
    let current = null;

    function show(row) {
        const mark = row.dataset.mark ? document.getElementById(row.dataset.mark) : null;
        if (current) {
            current.classList.remove("current");
        }
        current = mark;
        if (!mark) {
            return;
        }
        mark.classList.add("current");
        if (pane && pane.scrollHeight > pane.clientHeight) {
            const offset = mark.getBoundingClientRect().top - pane.getBoundingClientRect().top;
            pane.scrollTop += offset - pane.clientHeight / 3;
        }
    }

    document.addEventListener("focusin", (event) => {
        const row = event.target.closest(".candidate");
        if (row) {
            show(row);
        }
    });
}
