from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Milestone


class MilestoneFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "泸州融入成渝地区双城经济圈建设的已完成与计划事项"
    link = reverse_lazy("kb:timeline")

    def title(self):
        return f"泸州政策知识库 · {Milestone._meta.verbose_name_plural}"

    def items(self):
        return Milestone.objects.for_list().order_by("-date", "title")[:100]

    def item_title(self, item):
        return f"{item.date_display} {item.title}"

    def item_description(self, item):
        return escape(item.quote)  # Atom summaries are HTML: the quote is text

    def item_link(self, item):
        return item.get_absolute_url()
