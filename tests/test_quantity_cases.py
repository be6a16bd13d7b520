"""A table of hand-written cases for the quantity extractor, run through the shipped pipeline.

Every sentence here was written for this file in the style of district and county news; none
comes from a corpus. Expectations follow docs/ANNOTATION.md ("Quantity attributes") and the
conventions in `newsgraph/quantities.py` and `newsgraph/components/quantities.py`:
the span holds the number, its unit and the qualifiers written against it; the object is the
noun phrase right after the quantity, else the one right before it, else None.
"""

from __future__ import annotations

import pytest

from newsgraph.pipeline import load_pipeline

KEYS = ("value", "unit", "approx", "comparator", "low", "high", "object")


def Q(text, value, unit, approx=None, comparator=None, low=None, high=None, object=None):
    """One expected QUANTITY: its text and every attribute but `short` (numbers compared approximately)."""
    attrs = {
        "value": pytest.approx(value),
        "unit": unit,
        "approx": approx,
        "comparator": comparator,
        "low": None if low is None else pytest.approx(low),
        "high": None if high is None else pytest.approx(high),
        "object": object,
    }
    return text, attrs, value


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def found(nlp, sentence):
    doc = nlp(sentence)
    return [e for e in doc.ents if e.label_ == "QUANTITY"]


# (id, sentence, expected quantities in order)
CASES = [
    # --- measure words ---------------------------------------------------------------
    ("ge-object-before", "已暂扣液化气罐103个。", [Q("103个", 103, "个", object="液化气罐")]),
    ("ge-object-after", "街道今年新增就业岗位150个。", [Q("150个", 150, "个", object="就业岗位")]),
    ("jia-first-noun", "街道联合8家单位党组织开展共建。", [Q("8家", 8, "家", object="单位")]),
    ("jia-after", "全镇100多家企业参加招聘会。", [Q("100多家", 100, "家", approx="多", object="企业")]),
    # 至少 here is written against the verb, not the number: no comparator
    ("ming-after", "每个网格至少配备3名网格员。", [Q("3名", 3, "名", object="网格员")]),
    ("zhishao", "每个网格配备至少3名网格员。", [Q("至少3名", 3, "名", comparator=">=", object="网格员")]),
    ("ming-across-de", "区里为4名新聘的调解员颁证。", [Q("4名", 4, "名", object="调解员")]),
    ("ren-before", "全镇共有党员1500人。", [Q("1500人", 1500, "人", object="党员")]),
    ("wei-yu", "活动吸引200余位居民参加。", [Q("200余位", 200, "位", approx="余", object="居民")]),
    ("ci-meeting", "今年以来已召开3次专题会议。", [Q("3次", 3, "次", object="专题会议")]),
    ("chang", "全年开展文艺演出12场。", [Q("12场", 12, "场", object="文艺演出")]),
    ("jian", "社区化解矛盾纠纷32件。", [Q("32件", 32, "件", object="矛盾纠纷")]),
    ("hu", "干部走访困难群众86户。", [Q("86户", 86, "户", object="困难群众")]),
    ("chu", "共排查出安全隐患27处。", [Q("27处", 27, "处", object="安全隐患")]),
    ("tai", "检查燃气灶具15台。", [Q("15台", 15, "台", object="燃气灶具")]),
    ("liang", "查扣电动车42辆。", [Q("42辆", 42, "辆", object="电动车")]),
    ("ping", "现场查扣液化石油气9瓶。", [Q("9瓶", 9, "瓶", object="液化石油气")]),
    ("guan", "执法队员暂扣液化气12罐。", [Q("12罐", 12, "罐", object="液化气")]),
    ("qi", "查处违法案件5起。", [Q("5起", 5, "起", object="违法案件")]),
    ("tiao", "收集群众意见建议18条。", [Q("18条", 18, "条", object="群众意见建议")]),
    ("verb-before-thing-counter", "街道要求企业上报12条。", [Q("12条", 12, "条")]),
    ("xiang", "年内办结民生实事10项。", [Q("10项", 10, "项", object="民生实事")]),
    ("pi", "社区发放了3批防疫物资。", [Q("3批", 3, "批", object="防疫物资")]),
    ("ben", "为农家书屋捐赠图书300本。", [Q("300本", 300, "本", object="图书")]),
    ("fen", "现场发放宣传册500份。", [Q("500份", 500, "份", object="宣传册")]),
    ("suo", "辖区内共有12所中小学校。", [Q("12所", 12, "所", object="中小学校")]),
    ("zhi", "社区组建了5支志愿服务队。", [Q("5支", 5, "支", object="志愿服务队")]),
    ("zuo", "今年新建公厕8座。", [Q("8座", 8, "座", object="公厕")]),
    ("zhan", "更换老旧路灯80盏。", [Q("80盏", 80, "盏", object="老旧路灯")]),
    ("tao", "为独居老人安装燃气报警器200套。", [Q("200套", 200, "套", object="燃气报警器")]),
    # --- number forms ----------------------------------------------------------------
    ("thousands-sep", "为1,200户居民更换燃气软管。", [Q("1,200户", 1200, "户", object="居民")]),
    ("decimal", "新铺设燃气管道3.5公里。", [Q("3.5公里", 3.5, "公里", object="燃气管道")]),
    ("cn-103", "查扣煤气罐一百零三个。", [Q("一百零三个", 103, "个", object="煤气罐")]),
    ("cn-35000", "筹集爱心善款三万五千元。", [Q("三万五千元", 35000, "元", object="爱心善款")]),
    ("cn-headline-4", "街道表彰四名优秀网格员", [Q("四名", 4, "名", object="优秀网格员")]),
    ("cn-12", "十二名党员志愿者参加清扫。", [Q("十二名", 12, "名", object="党员志愿者")]),
    ("cn-decimal", "今年新修村道一点五公里。", [Q("一点五公里", 1.5, "公里", object="村道")]),
    ("cn-liangqian-yu", "两千余名党员参加了学习。", [Q("两千余名", 2000, "名", approx="余", object="党员")]),
    ("cn-yitian", "用一天时间完成全面排查。", [Q("一天", 1, "天", object="时间")]),
    ("cn-sancheng", "全镇三成耕地实现机械化耕种。", [Q("三成", 3, "成", object="耕地")]),
    ("cn-wanyuan", "村民筹集善款五万元。", [Q("五万元", 5, "万元", object="善款")]),
    ("mixed-wanyuan", "区财政投入资金165万元。", [Q("165万元", 165, "万元", object="资金")]),
    ("mixed-yiyuan", "吸引社会资本3亿元。", [Q("3亿元", 3, "亿元", object="社会资本")]),
    ("mixed-wanyuan-decimal", "发放慰问金2.6万元。", [Q("2.6万元", 2.6, "万元", object="慰问金")]),
    ("mixed-bare-wan", "辖区常住人口165万。", [Q("165万", 1650000, None, object="常住人口")]),
    ("mixed-wanrenci", "全年服务群众1.2万人次。", [Q("1.2万人次", 1.2, "万人次", object="群众")]),
    ("mixed-wan-metric", "整治绿化面积1.8万平方米。", [Q("1.8万平方米", 18000, "平方米", object="绿化面积")]),
    ("mixed-wan-measure", "这项工程惠及2.5万户居民。", [Q("2.5万户", 25000, "户", object="居民")]),
    # --- percent, per mille, fractions, 成 --------------------------------------------
    (
        "pct-approx-quoted",
        "沿街商户“气改电”率已达85%左右。",
        [Q("85%左右", 85, "%", approx="左右", object="气改电率")],
    ),
    ("pct-decimal", "群众满意度达98.6%。", [Q("98.6%", 98.6, "%", object="群众满意度")]),
    ("pct-words", "垃圾分类覆盖率达到百分之九十。", [Q("百分之九十", 90, "%", object="垃圾分类覆盖率")]),
    ("pct-gt", "产品合格率高于95%。", [Q("高于95%", 95, "%", comparator=">", object="产品合格率")]),
    ("pct-lt", "室内空气湿度低于40%。", [Q("低于40%", 40, "%", comparator="<", object="空气湿度")]),
    ("pct-ge", "小区绿化率不低于35%。", [Q("不低于35%", 35, "%", comparator=">=", object="小区绿化率")]),
    ("pct-no-object", "发案率同比下降15.3%。", [Q("15.3%", 15.3, "%")]),
    ("permille-lt", "安全事故率低于千分之三。", [Q("低于千分之三", 3, "‰", comparator="<", object="安全事故率")]),
    ("fraction", "约三分之一的居民参与了垃圾分类。", [Q("约三分之一", 1 / 3, None, approx="约", object="居民")]),
    # 为 stands between the number and the noun after it: no object after, none before
    ("fraction-bare", "其中三分之二为外来务工人员。", [Q("三分之二", 2 / 3, None)]),
    # --- metric units ------------------------------------------------------------------
    ("mi-gt", "部分商户燃气胶管超2米。", [Q("超2米", 2, "米", comparator=">", object="商户燃气胶管")]),
    ("mu", "今年种植玉米2600亩。", [Q("2600亩", 2600, "亩", object="玉米")]),
    ("dun", "清运建筑垃圾120吨。", [Q("120吨", 120, "吨", object="建筑垃圾")]),
    ("gongjin", "为敬老院捐赠大米500公斤。", [Q("500公斤", 500, "公斤", object="大米")]),
    ("qianke", "收缴劣质燃油80千克。", [Q("80千克", 80, "千克", object="劣质燃油")]),
    ("pingfangmi-lt", "房屋面积不足10平方米。", [Q("不足10平方米", 10, "平方米", comparator="<", object="房屋面积")]),
    ("haomi", "昨日降水量达25毫米。", [Q("25毫米", 25, "毫米", object="降水量")]),
    ("du-le", "室温不超过26度。", [Q("不超过26度", 26, "度", comparator="<=", object="室温")]),
    ("ji-single", "午后阵风7级。", [Q("7级", 7, "级", object="阵风")]),
    ("mi-within", "服务半径为500米以内。", [Q("500米以内", 500, "米", comparator="<=", object="服务半径")]),
    # --- money ---------------------------------------------------------------------------
    ("yuan-le", "每户补助金额不超过5000元。", [Q("不超过5000元", 5000, "元", comparator="<=", object="补助金额")]),
    ("yiyuan-gt", "全年销售额突破1亿元。", [Q("突破1亿元", 1, "亿元", comparator=">", object="全年销售额")]),
    ("yuan-shangxia", "蔬菜均价5元上下。", [Q("5元上下", 5, "元", approx="上下", object="蔬菜均价")]),
    ("yuan-chutou", "他的月薪3000元出头。", [Q("3000元出头", 3000, "元", approx="出头", object="月薪")]),
    ("wanyuan-le", "小额贷款额度5万元以下。", [Q("5万元以下", 5, "万元", comparator="<=", object="小额贷款额度")]),
    # --- durations -----------------------------------------------------------------------
    ("tian", "集中整治行动持续3天。", [Q("3天", 3, "天")]),
    ("xiaoshi-approx", "排查工作持续了大约两小时。", [Q("大约两小时", 2, "小时", approx="大约")]),
    ("geyue", "帮扶工作持续了6个月。", [Q("6个月", 6, "个月")]),
    ("nian-duration", "合同期限为3年。", [Q("3年", 3, "年", object="合同期限")]),
    ("fenzhong-lt", "从社区到医院车程不到5分钟。", [Q("不到5分钟", 5, "分钟", comparator="<", object="车程")]),
    ("zhou-within", "整改须在一周之内完成。", [Q("一周之内", 1, "周", comparator="<=")]),
    (
        "xiaoshi-gt",
        "志愿服务时长累计超过500小时。",
        [Q("超过500小时", 500, "小时", comparator=">", object="志愿服务时长")],
    ),
    ("nian-lt", "其工龄不满1年。", [Q("不满1年", 1, "年", comparator="<", object="工龄")]),
    ("xiaoshi-lt", "培训时长少于2小时。", [Q("少于2小时", 2, "小时", comparator="<", object="培训时长")]),
    ("zuijin-not-approx", "最近3天，社区共排查隐患12处。", [Q("3天", 3, "天"), Q("12处", 12, "处", object="隐患")]),
    # --- compound units ------------------------------------------------------------------
    ("renci-none", "共出动704人次。", [Q("704人次", 704, "人次")]),
    ("renci-object", "出动执法人员120人次。", [Q("120人次", 120, "人次", object="执法人员")]),
    ("taici", "出动执法车辆30台次。", [Q("30台次", 30, "台次", object="执法车辆")]),
    # --- approximators -------------------------------------------------------------------
    ("yue", "吸引约300名群众观看。", [Q("约300名", 300, "名", approx="约", object="群众")]),
    ("jin", "近千名志愿者参与创城活动。", [Q("近千名", 1000, "名", approx="近", object="志愿者")]),
    ("jiangjin", "将近500户居民用上了天然气。", [Q("将近500户", 500, "户", approx="将近", object="居民")]),
    ("lai", "20来个孩子参加了夏令营。", [Q("20来个", 20, "个", approx="来", object="孩子")]),
    ("yu-people", "惠及群众2000余人。", [Q("2000余人", 2000, "人", approx="余", object="群众")]),
    # --- comparators ---------------------------------------------------------------------
    ("chaoguo", "参加活动的群众超过500人。", [Q("超过500人", 500, "人", comparator=">", object="群众")]),
    ("duoyu", "志愿者人数多于200人。", [Q("多于200人", 200, "人", comparator=">", object="志愿者人数")]),
    ("bushaoyu", "每个社区配备志愿者不少于20名。", [Q("不少于20名", 20, "名", comparator=">=", object="志愿者")]),
    ("zuiduo", "会场座位最多200个。", [Q("最多200个", 200, "个", comparator="<=", object="会场座位")]),
    ("yishang-before", "参与群众达500人以上。", [Q("500人以上", 500, "人", comparator=">=", object="群众")]),
    ("yishang-after", "禁止10吨以上货车通行。", [Q("10吨以上", 10, "吨", comparator=">=", object="货车")]),
    # --- ranges --------------------------------------------------------------------------
    ("range-ji", "东南风3~5级。", [Q("3~5级", 3, "级", low=3, high=5, object="东南风")]),
    ("range-celsius", "今天气温20℃~33℃。", [Q("20℃~33℃", 20, "℃", low=20, high=33, object="气温")]),
    ("range-unit-once", "夜间气温7到15℃。", [Q("7到15℃", 7, "℃", low=7, high=15, object="气温")]),
    ("range-zhi-ge", "一般3至5个工作日办结。", [Q("3至5个", 3, "个", low=3, high=5, object="工作日")]),
    ("range-people", "安排巡逻队员8至10人。", [Q("8至10人", 8, "人", low=8, high=10, object="巡逻队员")]),
    ("range-dash-yuan", "门票价格为30-50元。", [Q("30-50元", 30, "元", low=30, high=50, object="门票价格")]),
    ("range-qibai", "七八百名群众赶来观看。", [Q("七八百名", 700, "名", low=700, high=800, object="群众")]),
    ("range-liangsan", "用两三天时间完成清理。", [Q("两三天", 2, "天", low=2, high=3, object="时间")]),
    # --- several in one sentence ---------------------------------------------------------
    (
        "multi-enforcement",
        "出动执法人员45人次，检查商户120家，下发整改通知书18份。",
        [
            Q("45人次", 45, "人次", object="执法人员"),
            Q("120家", 120, "家", object="商户"),
            Q("18份", 18, "份", object="整改通知书"),
        ],
    ),
    (
        "multi-seize-close",
        "暂扣液化气罐23个，查处商户2家。",
        [Q("23个", 23, "个", object="液化气罐"), Q("2家", 2, "家", object="商户")],
    ),
    (
        "multi-weather",
        "气温20℃~33℃，东南风3~5级。",
        [
            Q("20℃~33℃", 20, "℃", low=20, high=33, object="气温"),
            Q("3~5级", 3, "级", low=3, high=5, object="东南风"),
        ],
    ),
    (
        "multi-enumeration",
        "新建充电桩40个、公厕5座。",
        [Q("40个", 40, "个", object="充电桩"), Q("5座", 5, "座", object="公厕")],
    ),
    (
        "multi-money-people",
        "投入资金165万元，惠及群众2000余人。",
        [Q("165万元", 165, "万元", object="资金"), Q("2000余人", 2000, "人", approx="余", object="群众")],
    ),
    ("multi-date-skipped", "6月25日，街道组织12名志愿者开展巡查。", [Q("12名", 12, "名", object="志愿者")]),
    ("multi-year-skipped", "2023年，该项目建设周期为3年。", [Q("3年", 3, "年", object="项目建设周期")]),
    (
        "multi-time-skipped",
        "19时40分，消防队员5人赶到现场。",
        [Q("5人", 5, "人", object="消防队员")],
    ),
    # --- object words (patterns/quantity_object_words.tsv: noun, verb, scope) and the 从…到 frame
    ("verb-before-object", "街道拨付专项资金80万元。", [Q("80万元", 80, "万元", object="专项资金")]),
    ("verb-before-thing", "居民上报问题15条。", [Q("15条", 15, "条", object="问题")]),
    ("verb-then-suffix", "垃圾分类投放率达95%。", [Q("95%", 95, "%", object="垃圾分类投放率")]),
    ("noun-word-cunlan", "生猪存栏3万头。", [Q("3万头", 30000, "头", object="生猪存栏")]),
    ("scope-quanqu", "全区燃气用户12万户。", [Q("12万户", 120000, "户", object="燃气用户")]),
    ("scope-quanshi", "全市在校学生8万名。", [Q("8万名", 80000, "名", object="在校学生")]),
    ("frame-cong-dao", "从车站到景区车程约20分钟。", [Q("约20分钟", 20, "分钟", approx="约", object="车程")]),
    (
        "frame-you-dao",
        "由镇政府到村委会车程不到10分钟。",
        [Q("不到10分钟", 10, "分钟", comparator="<", object="车程")],
    ),
    (
        "head-verb-shichang",
        "志愿服务时长超过5000小时。",
        [Q("超过5000小时", 5000, "小时", comparator=">", object="志愿服务时长")],
    ),
    ("head-verb-renshu", "参加人数达200人。", [Q("200人", 200, "人", object="参加人数")]),
    ("shu-before-digits", "社区走访户数120户。", [Q("120户", 120, "户", object="社区走访户数")]),
    # --- not quantities --------------------------------------------------------------------
    ("neg-date", "2023年6月25日上午，活动正式启动。", []),
    ("neg-time", "当晚19时40分许，火情被扑灭。", []),
    ("neg-phone", "咨询电话：0532-86981234。", []),
    ("neg-hotline", "市民可拨打12345政务服务热线。", []),
    ("neg-year", "2024年全区将继续推进老旧小区改造。", []),
    ("neg-year-du", "社区获评2023年度先进集体。", []),
    ("neg-month-fen", "3月份以来，街道持续开展巡查。", []),
    ("neg-ordinal", "这是今年第3次联合检查。", []),
    ("neg-jishi", "几十名志愿者自发赶来。", []),
    ("neg-shubai", "数百名群众在现场观看。", []),
    ("neg-shiji", "十几个村民围坐在一起。", []),
    ("neg-shushiwan", "项目投入数十万元。", []),
    ("neg-yipi", "街道购置了一批消防器材。", []),
    ("neg-yixie", "社区解决了一些实际困难。", []),
    ("neg-article-tao", "巡查中发现一套民宅存在隐患。", []),
    ("neg-article-ge", "这是一个好办法。", []),
    ("neg-article-ming", "一名老人不慎摔倒。", []),
    ("neg-shuangbaodao", "深化“双报到”工作机制。", []),
    ("neg-wulian", "推行“五联”工作法。", []),
    ("neg-qianjiawanhu", "燃气安全关系到千家万户。", []),
    ("neg-zuihouyigongli", "打通服务群众“最后一公里”。", []),
    ("neg-liangdaibiao", "邀请“两代表一委员”参加座谈。", []),
    ("neg-shisiwu", "“十四五”期间，全区新建公园多处。", []),
    ("neg-ershida", "认真学习党的二十大精神。", []),
    ("neg-yixian", "党员干部沉到一线。", []),
    ("neg-yiqi", "居民们一起动手清理杂物。", []),
    ("neg-yibashou", "各村党支部书记当好一把手。", []),
    ("neg-yicixing", "实行一次性告知制度。", []),
    ("neg-qiyi", "“七一”来临之际，社区开展慰问。", []),
    ("neg-nianji", "为三年级学生上安全课。", []),
    ("neg-yikezhong", "打造一刻钟便民生活圈。", []),
]

# (id, sentence, the `short` of each quantity in order): the mission's short form
SHORTS = [
    ("short-ge", "已暂扣液化气罐103个。", ["103个液化气罐"]),
    ("short-pct-quoted", "沿街商户“气改电”率已达85%左右。", ["85%气改电率"]),
    ("short-range-ji", "东南风3~5级。", ["3~5级东南风"]),
    ("short-range-celsius", "今天气温20℃~33℃。", ["20~33℃气温"]),
    ("short-wanyuan", "区财政投入资金165万元。", ["165万元资金"]),
    ("short-no-object", "共出动704人次。", ["704人次"]),
    ("short-qibai", "七八百名群众赶来观看。", ["700~800名群众"]),
    ("short-decimal", "新铺设燃气管道3.5公里。", ["3.5公里燃气管道"]),
]


def test_the_table_is_big_enough():
    assert len(CASES) >= 110
    assert sum(1 for _id, _s, expected in CASES if not expected) >= 20
    assert len({case_id for case_id, _s, _e in CASES}) == len(CASES)


# Cases the extractor gets wrong today, each with its cause. strict: a case that starts to pass
# fails the run, so that it is taken off this list.
KNOWN_FAILURES: dict[str, str] = {}


def cases(table):
    """pytest params with ids; known failures marked xfail (strict) with their cause."""
    return [
        pytest.param(*case[1:], id=case[0], marks=[pytest.mark.xfail(reason=KNOWN_FAILURES[case[0]], strict=True)])
        if case[0] in KNOWN_FAILURES
        else pytest.param(*case[1:], id=case[0])
        for case in table
    ]


@pytest.mark.parametrize(("sentence", "expected"), cases(CASES))
def test_quantity_case(nlp, sentence, expected):
    ents = found(nlp, sentence)
    got = [(e.text, {k: e._.quantity[k] for k in KEYS}) for e in ents]
    assert got == [(text, attrs) for text, attrs, _value in expected]
    for ent, (_text, _attrs, value) in zip(ents, expected, strict=True):
        if isinstance(value, int):
            assert type(ent._.quantity["value"]) is int, "whole numbers are ints"


@pytest.mark.parametrize(("sentence", "shorts"), cases(SHORTS))
def test_short_form(nlp, sentence, shorts):
    assert [e._.quantity["short"] for e in found(nlp, sentence)] == shorts
