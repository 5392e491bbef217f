from decimal import Decimal

from reports.importing.figures import CatalogueEntry, Figure, Matcher, figures_of_text

from . import texts

CATALOGUE = texts.catalogue()
MATCHER = Matcher(CATALOGUE)


def found(text: str) -> list[tuple[str, str, str, str | None]]:
    return [(f.text, str(f.value), f.unit, f.indicator) for f in figures_of_text(text, MATCHER)]


def test_every_unit():
    text = (
        "完成率73%，出生率8.5‰，提高2.3个百分点，医生120人，服务300人次，站点14个，床位520张，"
        "机构7家，卫生院3所，投入350万元，总额1.5亿元，签约2.1万人，队员1.2万名，义诊40次，资料600份，确诊5例。"
    )
    units = [u for _t, _v, u, _i in found(text)]
    assert units == [
        "%",
        "‰",
        "个百分点",
        "人",
        "人次",
        "个",
        "张",
        "家",
        "所",
        "万元",
        "亿元",
        "人",
        "人",
        "次",
        "份",
        "例",
    ]


def test_wan_scales_persons_and_counts():
    assert ("2.1万人", "21000", "人", None) in found("累计签约2.1万人。")
    assert found("检测能力达到1.6万份")[0][1:3] == ("16000", "份")
    assert found("参与0.5万名志愿者")[0][1:3] == ("5000", "人")
    assert found("惠及3万余人次")[0][1:3] == ("30000", "人次")


def test_placeholders_are_not_figures():
    assert found("签约xx%，覆盖率x.x%，完成X%，建档xx.x万份，出生率x.xx‰，培训X名，增长近xx%") == []


def test_thousands_separator_and_full_width_after_cleaning():
    assert found("累计接诊31,112人")[0][:3] == ("31,112人", "31112", "人")


def test_percentage_points_are_a_change_and_name_no_indicator():
    figure = figures_of_text("家庭医生签约服务覆盖率提高2.3个百分点", MATCHER)[0]
    assert figure.is_change and figure.indicator is None


def test_growth_is_a_change_but_rising_to_is_a_level():
    assert figures_of_text("家庭医生签约率同比增长5%", MATCHER)[0].indicator is None
    assert figures_of_text("家庭医生签约率提高到75%", MATCHER)[0].indicator == "fds_coverage"


def test_indicator_from_the_words_before():
    assert found("全县家庭医生签约服务覆盖率达73%。")[0][3] == "fds_coverage"
    assert found("高血压患者规范管理率为68%")[0][3] == "htn_std_mgmt"
    assert found("全区人口出生率7.12‰，自然增长率1.5‰")[0][3] == "birth_rate"
    assert found("全区人口出生率7.12‰，自然增长率1.5‰")[1][3] == "natural_growth"
    assert found("共有医养结合机构床位860张")[0][3] == "elderly_care_beds"


def test_split_wording_subject_then_rate():
    got = found("高血压规范管理人数50391，规范管理率39.4%；糖尿病规范管理人数20822，规范管理率43.7%")
    assert [g[3] for g in got if g[2] == "%"] == ["htn_std_mgmt", "t2dm_std_mgmt"]


def test_another_number_in_between_breaks_a_whole_match():
    # 4358人 stands between the words and the percentage: the percentage is of something else
    assert found("免费孕前优生健康检查4358人，完成任务数的108.95%")[1][3] is None


def test_unit_must_fit_the_indicator():
    assert found("家庭医生签约服务团队120个")[0][3] is None  # a count, not the coverage rate
    assert found("累计签约394578人")[0][3] is None


def test_new_or_partial_figures_name_no_level_indicator():
    assert found("新增托位240个")[0][3] is None
    assert found("当前托位总数约3000个")[0][3] == "childcare_slots"


def test_a_sentence_boundary_ends_the_words():
    assert found("家庭医生签约服务扎实推进。全年培训120人")[0][3] is None


def test_money_converts_to_the_indicator_unit():
    figure = figures_of_text("项目总投资9.5亿元", MATCHER)[0]
    assert figure.indicator == "project_investment"
    assert figure.value_in("万元") == Decimal("95000")
    assert Figure(text="5人", value=Decimal(5), unit="人").value_in("%") is None


def test_catalogue_as_plain_data():
    entry = CatalogueEntry(
        slug="x", name_zh="宫颈癌筛查率(35–64岁)", aliases=CatalogueEntry.split_aliases("宫颈癌筛查| 两癌 |")
    )
    assert entry.aliases == ("宫颈癌筛查", "两癌")
    assert "宫颈癌筛查率" in entry.terms()
    assert found("宫颈癌筛查率达到52%")[0][3] == "cervical_screening"


def test_figures_know_where_they_are():
    from reports.importing.outline import parse_text

    doc = parse_text(texts.SIMPLE, CATALOGUE).documents[0]
    fds = next(f for f in doc.figures if f.indicator == "fds_coverage")
    section = doc.sections[fds.section[0]].children[fds.section[1]]
    assert section.paragraphs[fds.paragraph][fds.start : fds.end] == "76.5%"


def test_a_population_the_indicator_does_not_name_is_another_figure():
    # the import saves no children's vaccination rate from the elderly's, nor the whole county's
    # contract coverage from the poor households'
    assert found("全县60岁以上老年人疫苗接种率为81.4%。") == [("81.4%", "81.4", "%", None)]
    assert found("建档立卡贫困人口家庭医生签约服务覆盖率达到100%。") == [("100%", "100", "%", None)]
    assert found("为70岁以上老人接种疫苗1.1万剂次，接种率达到80.5%。")[-1][-1] is None
    # its own population, or none, still names it
    assert found("全县适龄儿童疫苗接种率为97.5%。")[-1][-1] == "nip_vaccination"
    assert found("全区65岁以上老年人健康管理率为71.2%。")[-1][-1] == "elderly_mgmt"


def test_a_target_word_inside_an_indicators_name_makes_no_target():
    (figure,) = figures_of_text("适龄儿童国家免疫规划疫苗接种率达到98.5%。", MATCHER)
    assert (figure.indicator, figure.role) == ("nip_vaccination", "level")
    (figure,) = figures_of_text("力争免疫规划疫苗接种率达到99%。", MATCHER)
    assert figure.role == "target"


def test_the_wording_nearest_the_number_names_it():
    assert found("孕产妇系统管理率稳步提升，儿童系统管理率达到93.2%。")[-1][-1] == "u3_sys_mgmt"
    assert found("高血压患者规范管理率继续提高，管理人群血压控制率为62.1%。")[-1][-1] == "htn_bp_control"
    assert found("重点人群签约服务覆盖率为85.1%。")[-1][-1] == "fds_key_coverage"  # the longest of those ending there
