"""The demo's own text and figures: invented prose (never copied from a published report) and figures
from a random generator seeded by the bureau code, so they are stable across runs. Pure data."""

from __future__ import annotations

import random
from decimal import Decimal

AREA_WORD = {"341802": "全区", "341821": "全县", "341882": "全市", "340202": "全区", "340223": "全县", "150121": "全旗"}


def figures(code: str, year: int) -> dict[str, Decimal]:
    rnd = random.Random(f"{code}-{year}")
    population = rnd.randrange(280_000, 900_000, 1000)
    f = {
        "population": Decimal(population),
        "pop_k": Decimal(population) / 10000,
        "fds_num": Decimal(int(population * rnd.uniform(0.38, 0.58))),
        "elderly": Decimal(int(population * rnd.uniform(0.13, 0.19))),
        "htn_managed": Decimal(rnd.randrange(18_000, 60_000)),
        "t2dm_managed": Decimal(rnd.randrange(6_000, 20_000)),
        "live_births": Decimal(rnd.randrange(1800, 6500)),
        "screened": Decimal(rnd.randrange(3000, 15000)),
        "slots": Decimal(rnd.randrange(600, 2600, 10)),
        "funds": Decimal(rnd.randrange(1800, 7000)),
        "investment": Decimal(rnd.randrange(8000, 60000, 100)),
        "cases": Decimal(rnd.randrange(40, 320)),
        "fines": Decimal(rnd.randrange(15, 180)),
        "donations": Decimal(rnd.randrange(4000, 18000, 10)),
        "doctors": Decimal(int(population * rnd.uniform(0.0026, 0.0038))),
    }
    f["fds_rate"] = (f["fds_num"] / f["population"] * 100).quantize(Decimal("0.01"))
    f["elderly_done"] = Decimal(int(f["elderly"] * Decimal(rnd.uniform(0.62, 0.82))))
    f["htn_std"] = Decimal(int(f["htn_managed"] * Decimal(rnd.uniform(0.66, 0.84))))
    f["t2dm_std"] = Decimal(int(f["t2dm_managed"] * Decimal(rnd.uniform(0.64, 0.82))))
    f["infant_deaths"] = Decimal(rnd.randrange(3, 12))
    f["maternal_deaths"] = Decimal(rnd.choice([0, 0, 1]))
    f["vacc_due"] = Decimal(rnd.randrange(2500, 8000))
    f["vacc_done"] = (f["vacc_due"] * Decimal(rnd.uniform(0.955, 0.995))).quantize(Decimal("1"))
    return f


def rate(num: Decimal, den: Decimal, mult: int) -> Decimal:
    return (num / den * mult).quantize(Decimal("0.01"))


def work_done(area: str, f: dict) -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """Second-level headings with paragraphs and third-level items (heading, text)."""
    fds, eld = f["fds_rate"], rate(f["elderly_done"], f["elderly"], 100)
    htn = rate(f["htn_std"], f["htn_managed"], 100)
    return [
        (
            "做实基本公共卫生服务",
            [
                f"{area}以家庭医生团队为抓手，把签约服务延伸到村卫生室。全年签约{f['fds_num']:,}人，"
                f"家庭医生签约服务覆盖率达{fds}%。",
                f"为{f['elderly_done']:,}名65岁及以上老年人提供体检和健康指导，老年人健康管理率{eld}%；"
                f"高血压患者规范管理率{htn}%。",
            ],
            [
                ("签约服务提质扩面", "组建家庭医生团队，按片区包干，重点人群做到应签尽签、签而有约。"),
                ("慢病管理闭环", "推行“医防融合”门诊，随访结果当日录入系统，异常指标三日内复核。"),
            ],
        ),
        (
            "守牢妇幼健康底线",
            [
                f"落实母婴安全五项制度，全年活产{f['live_births']:,}例，完成两癌筛查{f['screened']:,}人。",
                f"新增普惠托位{int(f['slots'] * Decimal('0.2'))}个，{area}托位总数达到{f['slots']:,}个。",
            ],
            [],
        ),
        (
            "推进重点项目建设",
            [
                f"县级医院提标扩能、基层卫生院改造等项目完成投资{f['investment']:,}万元，"
                f"基本公共卫生服务项目资金{f['funds']:,}万元全部拨付到位。",
            ],
            [],
        ),
        (
            "依法开展卫生监督",
            [f"开展“双随机”抽查，立案查处行政处罚案件{f['cases']}件，罚没款{f['fines']}万元。"],
            [],
        ),
    ]


PROBLEMS = [
    ("基层人才留不住", "乡镇卫生院专业技术人员流失较多，全科医生缺口仍然较大。解决思路：落实县管乡用，完善绩效分配。"),
    (
        "信息系统不互通",
        "公共卫生、医疗和医保系统数据分散，基层重复录入负担重。解决思路：推进区域全民健康信息平台建设。",
    ),
    ("托育服务供给不足", "普惠托位分布不均，部分乡镇仍为空白。解决思路：鼓励用人单位和社区办托。"),
]

PLAN = [
    ("深化紧密型县域医共体建设", "统一管理人、财、物，推动优质资源下沉。"),
    ("提升家庭医生签约服务质量", "以重点人群为核心，做实履约服务，提高居民获得感。"),
    ("加快重点项目建设进度", "倒排工期，按月调度，确保项目按期投用。"),
    ("加强卫生健康人才队伍建设", "定向培养和招聘并举，稳定基层队伍。"),
]


RETURN_FLAGS = [
    ("守牢妇幼健康底线", "请补充孕产妇和婴儿死亡率的具体数据，并与指标表保持一致。"),
    ("信息系统不互通", "问题表述过于笼统，请写明涉及哪些系统、影响多大。"),
]
