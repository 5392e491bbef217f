"""Copies of reports as bureaus hold them, one class of page furniture or damage each. Written
for the tests in the manner of real copies; none of them is a real report."""

# A government portal's metadata block, one pair per line, before the title.
META_PER_LINE = """政府信息公开
索引号：11341800-MB1234567X/2024-00123
发布机构：松林县卫生健康委员会
文号：松卫〔2024〕8号
成文日期：2024-01-15
发布日期：2024-01-16
效力属性：有效
主题分类：卫生、体育
松林县卫生健康委员会2023年工作总结
2023年，在县委、县政府的坚强领导下，我委统筹推进各项卫生健康工作，现将有关情况报告如下。
一、主要工作成效
（一）基层服务能力提升
新建村卫生室6所，家庭医生签约服务覆盖率达到71.2%。
二、存在的问题
基层医务人员流动性较大。
三、2024年工作计划
力争家庭医生签约服务覆盖率达到75%。
松林县卫生健康委员会
2024年1月15日
"""

# The same block with several pairs on a line, and a table flattened with | and • separators.
META_PAIRS = """索引号：000123/2023-456 发布机构：柳河市卫健委 生成日期：2023-07-20
主题分类：卫生 文号：无 效力属性：有效
柳河市卫生健康委员会2023年上半年工作总结
今年以来，全市卫生健康系统认真落实年度目标任务，各项工作有序推进。
一、上半年工作开展情况
全市孕产妇系统管理率为95.1%。
二、下半年工作安排
持续做好重点人群健康管理。
"""

META_TABLE = """索引号 | 341900/2022-0099 | 发布机构 | 石门区卫生健康局
主题分类 | 卫生 | 发文日期 | 2022-12-30
• 名称：石门区卫生健康局2022年度工作总结
• 文号：石卫〔2022〕31号
石门区卫生健康局2022年度工作总结
一、2022年工作完成情况
全区共建成标准化预防接种门诊12个。
二、2023年工作打算
继续推进全民健康信息平台建设。
"""

# Breadcrumbs and portal buttons around the article.
BREADCRUMBS = """当前位置：首页 > 政务公开 > 规划计划 > 工作总结
您的位置：首页 » 信息公开
桃源县卫生健康局关于2023年度工作情况的报告
发布人：办公室 点击量：356
【字体：大 中 小】【打印】【关闭】
一、工作开展情况
（一）公共卫生服务。全县老年人健康管理率为62.5%。
二、存在问题
信息化建设相对滞后。
打印本页 关闭窗口
"""

# An article site: byline lines, reading time, uploader blurb, VIP notice, numbered tips, tags,
# previous/next links, related articles, a QR line, HTML left as text.
ARTICLE = """作者：网友投稿 来源：范文大全 时间：2023-02-11
加入收藏
共计2143个字，预计阅读时长6分钟
第1/3页
小编为大家整理了一篇卫健局年度工作总结，希望对大家有所帮助，欢迎阅读参考。
VIP专享文档，侵权投诉请联系客服。
杏花区卫健局2022年工作总结
<p>2022年，杏花区卫健局坚持以人民健康为中心，扎实推进各项工作。&nbsp;</p>
<p>一、重点工作推进情况</p>
<p>（一）疫苗接种。全区累计接种新冠疫苗38.6万剂次，60岁以上老年人接种率达到89%。</p>
<p>二、明年工作思路</p>
<p>推动优质医疗资源扩容下沉。</p>
温馨提示：
1.本站文档均来自网友上传，仅供学习参考。
2.如需下载请先登录。
工作总结
卫健局
年度总结
上一篇：某某街道办事处工作总结
下一篇：乡镇卫生院院长述职报告
相关推荐
医院年度工作总结范文
卫生院个人工作总结
扫码关注公众号，获取更多范文
"""

# A copy that prints the report's outline (a table of contents) before the body.
OUTLINE_FIRST = """云台县卫生健康局2024年上半年工作总结
目录
一、上半年工作情况……………………1
二、存在的问题………………………3
三、下半年工作打算…………………4
一、上半年工作情况
上半年全县完成两癌筛查5200人，2型糖尿病患者规范管理率为63.4%。
二、存在的问题
乡村医生老龄化问题突出。
三、下半年工作打算
推进县域医共体建设。
"""

# PDF text: hard-wrapped mid-sentence, page numbers and a running header between the pages.
PDF = """金川县卫生健康局
2023年度工作总结
2023年，我局认真贯彻落实上级决策部署，坚持
以人民健康为中心，全力推进健康金川建设，各项
工作取得新成效。
一、2023年工作开展情况
（一）医疗服务能力持续提升。县人民医院新增床位
120张，开展新技术新项目15项，县域就诊率达到
91.5%。
- 1 -
金川县卫生健康局
（二）公共卫生服务扎实开展。全县高血压患者规范管
理率为66.8%。
二、存在的问题
专业技术人才总量不足，引不进、留不住问题仍然存
在。
2
三、2024年工作计划
继续推进医疗卫生服务能力提升工程。
"""

# One paragraph: the whole report on a line, headings inline.
ONE_PARAGRAPH = (
    "今年以来，我局围绕全年目标任务，统筹推进各项工作，现将有关情况汇报如下：一、工作完成情况。"
    "（一）健康扶贫。全县脱贫人口家庭医生签约率为100%。（二）医疗保障。新建发热门诊3个。"
    "二、存在的问题。基层医疗机构设备老化。三、下一步工作计划。（一）加强人才队伍建设。引进专业技术人才40名。"
)

# Traditional script with conversion noise (pinyin glosses), not converted unless asked.
TRADITIONAL = """2023年度工作總結(jié)
(玉泉區(qū)衛(wèi)生健康局)
一年來，我局扎實推進各項(xiàng)工作，現(xiàn)總結(jié)如下：
一、工作開展情況
全區(qū)孕產(chǎn)婦系統(tǒng)管理率達到92.5%。
二、存在問題
醫(yī)療資源總量不足。
三、下一年工作計劃
推進緊密型醫(yī)共體建設(shè)。
"""

# No title at all: the text starts with the lead.
NO_TITLE = """发布日期：2021-08-03
今年上半年，我局紧紧围绕年度目标任务，扎实推进各项工作。
一、上半年工作完成情况
全县新增托位数320个。
二、下半年工作重点
推进婴幼儿照护服务体系建设。
"""

# Placeholders for the year and the place, as template sites print them.
PLACEHOLDERS = """xx县卫生健康局xxxx年工作总结
xxxx年，xx县卫生健康局在县委、县政府的正确领导下，各项工作稳步推进。
一、xxxx年工作开展情况
（一）全面完成年度目标任务。开展义诊xx次，惠及群众xx万余人。
二、存在问题
XX、基层服务能力有待提高。
三、XXXX年工作计划
进一步提升公共卫生服务水平。
XX县卫生健康局
XXXX年XX月XX日
"""
