"""Figures beyond "a wording, then its number": lists, rates per 10万 and per 1,000, the indicator
named after the number, approximations, targets and changes. Pure parser tests."""

from reports.importing.figures import Matcher, figures_of_text

from . import texts

MATCHER = Matcher(texts.catalogue())


def read(text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.indicator) for f in figures_of_text(text, MATCHER)]


def test_a_list_after_fenbiewei_names_each_value():
    assert read("全县高血压、2型糖尿病患者规范管理率分别为68%、66.5%。") == [
        ("68%", "htn_std_mgmt"),
        ("66.5%", "t2dm_std_mgmt"),
    ]
    assert read("孕产妇系统管理率、3岁以下儿童系统管理率和住院分娩率分别达到95.2%、93.1%和99.9%。") == [
        ("95.2%", "maternal_sys_mgmt"),
        ("93.1%", "u3_sys_mgmt"),
        ("99.9%", "hospital_delivery"),
    ]


def test_rates_per_100k_and_per_1000():
    figures = figures_of_text("孕产妇死亡率为8.5/10万，婴儿死亡率为3.2‰。", MATCHER)
    assert [(f.value, f.unit, f.indicator) for f in figures] == [
        (figures[0].value, "1/10万", "maternal_mortality"),
        (figures[1].value, "‰", "infant_mortality"),
    ]
    assert str(figures[0].value) == "8.5"
    assert read("每千人口执业医师数达到2.8人，每千人口床位数5.6张。") == [
        ("2.8人", "doctors_per_1000"),
        ("5.6张", "beds_per_1000"),
    ]


def test_the_indicator_named_after_the_number():
    assert read("全区共提供870个托位。") == [("870个", "childcare_slots")]
    assert read("新增托位120个，又新增了60个托位。") == [("120个", None), ("60个", None)]  # parts, not the level


def test_a_label_a_few_words_before_its_value_in_the_clause():
    assert read("电子健康档案建档率保持在较高水平，达91%。") == [("91%", "ehr_rate")]
    assert read("老年人健康管理工作扎实推进，管理率为71.2%。") == [("71.2%", "elderly_mgmt")]


def test_approximations_are_flagged():
    figures = figures_of_text(
        "开展义诊300余次，惠及1.2万多人，覆盖率约85%，参与近500人，筛查率90%以上，完成80份。", MATCHER
    )
    assert [f.approximate for f in figures] == [True, True, True, True, True, False]


def test_targets_and_changes_are_not_levels():
    [target] = figures_of_text("力争家庭医生签约服务覆盖率达到75%。", MATCHER)
    assert target.role == "target" and target.indicator is None
    change, level = figures_of_text("家庭医生签约服务覆盖率比上年提高2个百分点；签约服务覆盖率为73%。", MATCHER)
    assert change.role == "change" and change.indicator is None
    assert level.role == "level" and level.indicator == "fds_coverage"
    [growth] = figures_of_text("老年人健康管理率较去年同期增长3.5%。", MATCHER)
    assert growth.role == "change" and growth.indicator is None


def test_an_age_band_is_no_figure():
    assert read("65岁及以上老年人健康管理率为62%，3岁以下儿童系统管理率为91%。") == [
        ("62%", "elderly_mgmt"),
        ("91%", "u3_sys_mgmt"),
    ]


def test_the_json_of_a_figure_says_role_and_approximation():
    [figure] = figures_of_text("托位数约3000个。", MATCHER)
    assert figure.as_dict() == {
        "text": "3000个",
        "value": "3000",
        "unit": "个",
        "indicator": "childcare_slots",
        "approximate": True,
        "role": "level",
    }
