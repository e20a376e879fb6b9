"""Converting a response to one script: what is converted, what never is."""

from apps.core.script_convert import convert_markup, convert_text, keep
from apps.core.text import keep_written, to_simplified, to_traditional


def simp(markup):
    return convert_markup(markup, to_simplified)


def test_text_and_shown_attributes_are_converted():
    html = (
        '<p title="瀘州">瀘州<mark>高鐵</mark></p><img alt="圖"><input type="search" value="瀘州" placeholder="輸入">'
    )
    assert (
        simp(html)
        == '<p title="泸州">泸州<mark>高铁</mark></p><img alt="图"><input type="search" value="泸州" placeholder="输入">'
    )


def test_what_a_form_posts_without_showing_it_is_not_converted():
    html = (
        '<input type="hidden" name="n" value="瀘州"><input type="checkbox" value="瀘州">'
        '<option value="瀘州">瀘州</option><a href="/x?q=瀘州">瀘州</a><span data-x="瀘州"></span>'
    )
    assert simp(html) == (
        '<input type="hidden" name="n" value="瀘州"><input type="checkbox" value="瀘州">'
        '<option value="瀘州">泸州</option><a href="/x?q=瀘州">泸州</a><span data-x="瀘州"></span>'
    )


def test_scripts_styles_and_comments_are_left_alone():
    html = '<script>var a = "瀘州";</script><style>.a::after{content:"瀘"}</style><!-- 瀘州 -->'
    assert simp(html) == html


def test_a_field_marked_translate_no_keeps_what_was_typed():
    html = '<textarea translate="no">瀘州</textarea><textarea>瀘州</textarea><input translate="no" value="瀘州">'
    assert (
        simp(html)
        == '<textarea translate="no">瀘州</textarea><textarea>泸州</textarea><input translate="no" value="瀘州">'
    )


def test_kept_text_passes_unchanged_even_across_tags_and_the_marks_go():
    html = f"<p>发展{keep('產業集群<mark>布局</mark>')}规划</p>"
    assert convert_markup(html, to_traditional) == "<p>發展產業集群<mark>布局</mark>規劃</p>"
    assert convert_text(f"布局,{keep('布局')}", to_traditional) == "佈局,布局"


def test_a_separator_in_the_text_itself_does_not_shift_pieces():
    assert simp("<p>瀘\ufdd2州</p><p>高鐵</p>") == "<p>泸\ufdd2州</p><p>高铁</p>"


def test_keep_written_keeps_the_sources_spelling_where_only_the_script_changed():
    stored = "瀘州市發展改革委推動"
    assert keep_written(stored, "泸州市发展改革委推动") == stored
    assert keep_written(stored, "瀘州市發展改革委推動") == stored
    assert keep_written(stored, "泸州市发展和改革委推动") == "瀘州市發展和改革委推動"  # the edit, and only it
    assert keep_written("第一行\n第二行", "第一行\r\n第二行") == "第一行\n第二行"
    assert keep_written(stored, "四川") == "四川"
