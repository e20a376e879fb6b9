"""Gold lists written by reading the articles, not by running the parser: what a careful
planning officer would record. Names are Simplified; dates are ISO strings."""

SEED = {
    "milestones": {  # (date, precision, status)
        # 11月5日，…黄玉林表示: reported speech, not an event (issue 11).
        ("2020-09-24", "day", "done"), ("2020-10-20", "day", "done"),
        ("2020-11-01", "month", "done"), ("2021-01-01", "plan_period", "planned"),
        ("2020-02-07", "day", "done"), ("2020-03-01", "month", "done"), ("2020-04-01", "month", "done"),
        ("2019-11-01", "month", "done"), ("2020-07-31", "day", "done"),
        ("2020-12-21", "late_month", "planned"), ("2020-05-01", "month", "done"), ("2020-09-01", "month", "done"),
    },
    "documents": {  # (title, status)
        ("泸州市加快西部陆海新通道建设实施方案", "issued"),
        ("推动成渝地区双城经济圈建设行动方案(2020—2022年)", "issued"),
        ("推动成渝地区双城经济圈建设工作机制", "issued"),
        ("成渝地区双城经济圈建设县域集成改革试点方案", "referenced"),
        ("泸永江融合发展示范区总体方案", "drafting"),
        ("成渝地区双城经济圈发展规划纲要", "referenced"),
        ("泸州市「十四五」规划纲要", "drafting"),
    },
    "agreements": {  # (kind, counterpart places or organisations)
        ("cooperation", frozenset({"永川区", "江津区", "荣昌区", "江北区"})),
        ("memorandum", frozenset({"重庆市发改委", "重庆市交通局"})),
        ("cooperation", frozenset({"万盛经开区", "涪陵区"})),
        ("consensus", frozenset()),
        ("strategic", frozenset({"成都市", "永川区", "江津区", "荣昌区", "江北区", "涪陵区", "万盛经开区"})),
        ("special", frozenset({"成都市", "永川区", "江津区", "荣昌区", "江北区", "涪陵区", "万盛经开区"})),
        ("consensus", frozenset({"永川区", "江津区"})),
    },
    "projects": {  # (name, status)
        ("渝昆高铁川渝段", "approved"), ("s33泸永高速", "building"), ("g246泸永公路", "building"),
        ("重庆经叙永至筠连高速公路", "planned"), ("川渝合作(江津·合江)工业园区", "approved"),
        ("川渝跨省双向对开省际公交", "open"),  # 泸州国窖大桥 is only in a photo caption (issue 11)
    },
    "initiatives": {  # (name, parent)
        ("长江上游航运贸易中心", "两中心两区两地"), ("区域医药健康中心", "两中心两区两地"),
        ("跨行政区组团发展模式的融合发展示范区", "两中心两区两地"), ("优势特色产业集群发展区", "两中心两区两地"),
        ("内陆开放新高地", "两中心两区两地"), ("高品质生活宜居地", "两中心两区两地"),
        ("泸永江融合发展示范区", None), ("川南渝西融合发展试验区", None), ("泸东新城", None),
        ("成渝地区双城经济圈", None),
    },
}

# An article of the genre the parser had never seen when its rules were written.
UNSEEN = {
    "milestones": {
        ("2021-03-15", "day", "done"), ("2021-06-01", "month", "done"),
        ("2022-12-21", "late_month", "planned"), ("2020-12-01", "month", "done"),
        ("2021-01-01", "plan_period", "planned"),
    },
    "documents": {
        ("内江市融入成渝地区双城经济圈建设实施方案", "issued"), ("内自同城化发展总体规划", "planned"),
    },
    "agreements": {
        ("memorandum", frozenset({"内江市发展改革委", "自贡市发展改革委"})),
        ("strategic", frozenset({"荣昌区", "大足区"})),
        ("special", frozenset({"荣昌区", "大足区"})),
    },
    "projects": {
        ("成自宜高铁", "building"), ("g321内江至自贡段改造工程", "approved"), ("内自快速通道", "open"),
        ("宜宾港志城作业区码头", "unknown"),
    },
    "initiatives": {
        ("内自同城化发展先行区", None), ("川南经济副中心", None), ("成渝地区双城经济圈", None),
    },
}
