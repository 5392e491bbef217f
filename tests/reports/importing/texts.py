"""Report texts written for the tests in the styles of real published reports (web copies, Word
copies, traditional characters with conversion noise). None of them is a real report."""

import json
from pathlib import Path

from reports.importing.figures import CatalogueEntry, catalogue_from_fixture

# A clean simplified report: headings on their own lines, 一是…二是… inside paragraphs.
SIMPLE = """青山县卫生健康局2024年工作总结
今年以来，我局围绕年度目标，扎实推进各项工作，现总结如下。
一、2024年工作开展情况
（一）基层服务能力稳步提升
一是完成乡镇卫生院改造3所。二是新增家庭医生团队12个，家庭医生签约服务覆盖率达到76.5%。
（二）公共卫生服务扎实开展
1.慢病管理。高血压患者规范管理率为68%，2型糖尿病患者规范管理率为66.2%。
2.妇幼健康。全年开展两癌筛查1.2万人，孕产妇系统管理率达到93%。
二、存在的问题
基层人才仍然不足，部分村卫生室服务能力偏弱。
三、2025年工作计划
（一）继续推进紧密型医共体建设
力争年内全县托位数达到1500个。
"""

# The same kind of report as copied from a web page: navigation, metadata, share prompts,
# buttons, page counters, half-width punctuation and inline headings in one long paragraph.
WEB = """首页 > 工作动态 > 工作总结
绿水区卫健委2023年上半年工作总结
发布时间: 2023-07-12 09:30:00 点击量: 1024 【字体:大 中 小】
分享到: 微信 微博
绿水区卫健委2023年上半年工作总结
一、上半年工作情况。(一)疫情防控平稳有序。累计接种疫苗2.5万人次,未发生聚集性疫情。(二)医疗服务持续改善。全区老年人健康管理率达到71.3%;电子健康档案建档率为90%。
二、存在问题。人员编制紧张,信息化水平不高。
三、下半年工作安排(一)抓好基层能力建设。新建标准化村卫生室5所。(二)推进健康促进工作。其中,①开展健康讲座20次;②发放资料3000份。
第 1 页 共 1 页
【关闭】【打印】
扫一扫在手机打开当前页
"""

# Traditional characters with pinyin glosses left by a converter, half-width punctuation.
TRADITIONAL = """2023年上半年工作總結(jié)及下半年工作安排
(白雲區(qū)衛(wèi)生健康委員會)
一、上半年工作總結(jié)
(一)加強(qiáng)基層衛(wèi)生建設(shè)
1.推進(jìn)醫(yī)共體建設(shè)。全區(qū)高血壓規(guī)範(fàn)管理人數(shù)12000人,規(guī)範(fàn)管理率45.5%。
2.做好托育服務(wù)。當(dāng)前托位總數(shù)約800個。
二、下半年工作安排
(一)持續(xù)推進(jìn)健康鄉(xiāng)村建設(shè)。
"""

# A file that starts mid-way, at （六）, with an inline ① list and placeholders.
MIDWAY = """（六）加强综合监督执法
全年立案查处违法案件xx件，罚没款x.x万元。其中，①无证行医案件X件；②公共场所案件3件。
（七）做好卫生应急工作
1、完善应急预案。修订预案4个。
2、开展应急演练。组织演练6次，参与人员300余人。
"""

# A web compilation of several reports headed 第一篇, 第二篇.
COMPILATION = """首页 > 范文 > 工作总结
卫生健康局工作总结3篇
第一篇：东湖镇卫生院工作总结
东湖镇卫生院工作总结
一、主要工作
全年门诊服务2.1万人次。
二、下一步打算
继续做好基本公共卫生服务。
第二篇：西山县卫健局工作总结范文
西山县卫健局工作总结
（一）疫情防控有序推进
核酸检测能力达到每日1.5万份。
（二）荣誉表彰
获评省级卫生先进单位1个。
第三篇：南河区卫健局年度工作总结
南河区卫健局年度工作总结
一、工作开展情况
辖区常住人口52.3万人。
卫生健康局工作总结3篇
TOP
"""

_FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "indicators.json"


def catalogue() -> list[CatalogueEntry]:
    """The project's catalogue as plain data (read from the fixture, no database)."""
    return catalogue_from_fixture(json.loads(_FIXTURE.read_text(encoding="utf-8")))
