"""Deterministic seed data for the capeval demo.

Everything here is fictitious: names are drawn from common Chinese name pools, ID numbers are
well formed but invented, e-mail addresses use ``example.*`` domains only, and self-statements are
assembled from field-specific project vocabularies and sentence templates. The same seed always
produces the same output; only the standard library is used.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from capeval.states.identity import id_check_character

__all__ = [
    "AREA_HEADINGS",
    "FIELD_CODES",
    "LEVELS",
    "DemoApplicant",
    "DemoPerson",
    "demo_applicants",
    "demo_examiners",
    "demo_workgroup",
    "id_check_character",
    "short_statement",
]

FIELD_CODES: tuple[str, ...] = ("electrical", "mechanical", "civil", "ict")
LEVELS: tuple[str, ...] = ("apprentice", "professional", "senior")
AREA_HEADINGS: tuple[str, ...] = (
    "工程知识与专业能力",
    "工程伦理与职业道德",
    "团队合作与交流能力",
    "持续发展与终身学习能力",
    "组织领导与项目管理能力",
)
STATEMENT_MIN_CHARS = 2000
STATEMENT_MAX_CHARS = 4000

_REFERENCE_YEAR = 2025
_WORKGROUP_SIZE = 3
_EXAMINER_COUNT = 8


@dataclass(frozen=True)
class DemoPerson:
    """A fictitious person: workgroup staff, examiner or applicant."""

    name: str
    id_number: str
    email: str
    employer: str
    birth_year: int
    gender: str
    language: str


@dataclass(frozen=True)
class DemoApplicant:
    """A fictitious applicant with a complete self-statement."""

    person: DemoPerson
    field_code: str
    level: str
    self_statement: str


# --------------------------------------------------------------------------- ID numbers


_AREA_CODES = (
    "110101",
    "110102",
    "110105",
    "110108",
    "120101",
    "310104",
    "310110",
    "310115",
    "440106",
    "440305",
    "320102",
    "320106",
    "330106",
    "510104",
    "510107",
    "420106",
    "420111",
    "610113",
    "370102",
    "500103",
    "430104",
    "410105",
    "350102",
    "230103",
    "210102",
    "340104",
)


def _id_number(rng: random.Random, birth_year: int, gender: str) -> str:
    area = rng.choice(_AREA_CODES)
    start = date(birth_year, 1, 1)
    birthday = start + timedelta(days=rng.randrange((date(birth_year + 1, 1, 1) - start).days))
    sequence = rng.randrange(0, 500) * 2 + 1 if gender == "male" else rng.randrange(1, 500) * 2
    first17 = f"{area}{birthday:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


# --------------------------------------------------------------------------- names and e-mail

_SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
    ("彭", "peng"),
    ("曾", "zeng"),
    ("肖", "xiao"),
    ("田", "tian"),
    ("董", "dong"),
    ("潘", "pan"),
    ("袁", "yuan"),
    ("蔡", "cai"),
    ("蒋", "jiang"),
    ("余", "yu"),
    ("杜", "du"),
    ("叶", "ye"),
    ("程", "cheng"),
    ("魏", "wei"),
    ("苏", "su"),
    ("吕", "lv"),
    ("丁", "ding"),
    ("任", "ren"),
    ("沈", "shen"),
    ("姚", "yao"),
    ("卢", "lu"),
    ("钟", "zhong"),
)
_COMPOUND_SURNAMES: tuple[tuple[str, str], ...] = (
    ("欧阳", "ouyang"),
    ("司马", "sima"),
    ("诸葛", "zhuge"),
    ("上官", "shangguan"),
    ("东方", "dongfang"),
    ("皇甫", "huangfu"),
    ("慕容", "murong"),
    ("夏侯", "xiahou"),
)


def _name_pool(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((item.split(":")[0], item.split(":")[1]) for item in text.split())


_MALE_GIVEN = _name_pool(
    "建国:jianguo 明轩:mingxuan 志强:zhiqiang 俊杰:junjie 浩然:haoran 子轩:zixuan 宇航:yuhang "
    "晓东:xiaodong 文博:wenbo 嘉豪:jiahao 伟东:weidong 海涛:haitao 建华:jianhua 立新:lixin "
    "振华:zhenhua 国栋:guodong 志刚:zhigang 永强:yongqiang 鹏飞:pengfei 晨阳:chenyang 天宇:tianyu "
    "睿哲:ruizhe 泽宇:zeyu 思远:siyuan 家明:jiaming 卫东:weidong 学军:xuejun 宏伟:hongwei "
    "德明:deming 国强:guoqiang 志远:zhiyuan 一鸣:yiming 子豪:zihao 正阳:zhengyang 少华:shaohua "
    "建军:jianjun 新民:xinmin 庆华:qinghua 文杰:wenjie 明远:mingyuan 浩宇:haoyu 俊峰:junfeng"
)
_FEMALE_GIVEN = _name_pool(
    "思雨:siyu 雨萱:yuxuan 丽娟:lijuan 静怡:jingyi 婷婷:tingting 晓敏:xiaomin 雪梅:xuemei "
    "佳琪:jiaqi 欣怡:xinyi 梦琪:mengqi 诗涵:shihan 雅婷:yating 慧敏:huimin 晓燕:xiaoyan "
    "玉兰:yulan 秀英:xiuying 淑华:shuhua 丽华:lihua 红梅:hongmei 春燕:chunyan 若曦:ruoxi "
    "文静:wenjing 海燕:haiyan 美玲:meiling 晓霞:xiaoxia 玉洁:yujie 佳慧:jiahui 璐瑶:luyao "
    "梓涵:zihan 欣然:xinran 雨桐:yutong 倩文:qianwen 嘉怡:jiayi 一诺:yinuo 明月:mingyue "
    "书瑶:shuyao 思琪:siqi 凤英:fengying 晓丽:xiaoli 艳红:yanhong"
)
_MALE_SINGLE = _name_pool(
    "伟:wei 强:qiang 磊:lei 军:jun 勇:yong 杰:jie 涛:tao 斌:bin 浩:hao 鹏:peng 宇:yu 刚:gang "
    "峰:feng 博:bo 辉:hui 凯:kai 亮:liang 健:jian 超:chao 毅:yi"
)
_FEMALE_SINGLE = _name_pool(
    "芳:fang 静:jing 婷:ting 敏:min 雪:xue 琳:lin 颖:ying 慧:hui 燕:yan 梅:mei 玲:ling 娟:juan "
    "倩:qian 洁:jie 萍:ping 丹:dan 蕾:lei 璐:lu 莉:li 霞:xia"
)
_EMAIL_DOMAINS = ("example.cn", "example.com.cn", "example.com", "example.org.cn", "example.net")


class _PersonFactory:
    """Draws people from one random stream, keeping names, IDs and e-mails distinct."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._ids: set[str] = set()
        self._emails: set[str] = set()

    def _name(self, gender: str) -> tuple[str, str, str]:
        rng = self._rng
        male = gender == "male"
        while True:
            surname = rng.choice(_COMPOUND_SURNAMES if rng.random() < 0.07 else _SURNAMES)
            if rng.random() < 0.75:
                given = rng.choice(_MALE_GIVEN if male else _FEMALE_GIVEN)
            else:
                given = rng.choice(_MALE_SINGLE if male else _FEMALE_SINGLE)
            name = surname[0] + given[0]
            if name not in self._names:
                self._names.add(name)
                return name, surname[1], given[1]

    def _email(self, surname: str, given: str, birth_year: int, domain: str) -> str:
        rng = self._rng
        style = rng.randrange(5)
        if style == 0:
            local = f"{surname}{given}"
        elif style == 1:
            local = f"{given}.{surname}"
        elif style == 2:
            local = f"{surname}.{given}"
        elif style == 3:
            local = f"{surname}{given}{birth_year % 100:02d}"
        else:
            local = f"{surname}_{given[0]}{rng.randint(1, 99)}"
        email = f"{local}@{domain}"
        while email in self._emails:
            email = f"{local}{rng.randint(2, 999)}@{domain}"
        self._emails.add(email)
        return email

    def make(
        self, *, birth_year: int, gender: str, employer: str, language: str, domain: str | None = None
    ) -> DemoPerson:
        name, surname_py, given_py = self._name(gender)
        id_number = _id_number(self._rng, birth_year, gender)
        while id_number in self._ids:
            id_number = _id_number(self._rng, birth_year, gender)
        self._ids.add(id_number)
        email = self._email(surname_py, given_py, birth_year, domain or self._rng.choice(_EMAIL_DOMAINS))
        return DemoPerson(
            name=name,
            id_number=id_number,
            email=email,
            employer=employer,
            birth_year=birth_year,
            gender=gender,
            language=language,
        )


# --------------------------------------------------------------------------- employers

_SOCIETIES = ("中国电机工程学会", "中国机械工程学会", "中国土木工程学会", "中国通信学会")

_EXAMINER_EMPLOYERS: Mapping[str, tuple[str, ...]] = {
    "electrical": (
        "华北电力大学电气与电子工程学院",
        "中国电力科学研究院有限公司",
        "西安交通大学电气工程学院",
        "国网经济技术研究院有限公司",
    ),
    "mechanical": (
        "上海交通大学机械与动力工程学院",
        "中国汽车技术研究中心有限公司",
        "哈尔滨工业大学机电工程学院",
        "机械科学研究总院集团有限公司",
    ),
    "civil": (
        "同济大学土木工程学院",
        "中国建筑设计研究院有限公司",
        "东南大学土木工程学院",
        "中国建筑科学研究院有限公司",
    ),
    "ict": (
        "北京邮电大学信息与通信工程学院",
        "中国信息通信研究院",
        "电子科技大学计算机科学与工程学院",
        "某通信规划设计院有限公司",
    ),
}

_APPLICANT_EMPLOYERS: Mapping[str, tuple[str, ...]] = {
    "electrical": (
        "国家电网某省电力公司",
        "国网江苏省电力有限公司南京供电分公司",
        "南方电网广东电网有限责任公司",
        "中国电力建设集团某勘测设计研究院",
        "某省电力设计院有限公司",
        "许继电气股份有限公司",
        "某新能源发电有限公司",
    ),
    "mechanical": (
        "中国第一汽车集团有限公司研发总院",
        "某汽车研究院",
        "三一重工股份有限公司",
        "徐工集团工程机械股份有限公司",
        "中国中车某机车车辆有限公司",
        "某精密机械制造有限公司",
        "潍柴动力股份有限公司",
    ),
    "civil": (
        "中国建筑第八工程局有限公司",
        "中铁某局集团有限公司",
        "上海建工集团股份有限公司",
        "中交第二公路勘察设计研究院有限公司",
        "某市政工程设计研究院有限公司",
        "中国建筑第三工程局有限公司",
    ),
    "ict": (
        "中国移动通信集团某省有限公司",
        "中国电信股份有限公司某分公司",
        "某云计算科技有限公司",
        "华为技术有限公司",
        "中兴通讯股份有限公司",
        "某信息技术研究院",
        "某智慧城市科技有限公司",
    ),
}


# --------------------------------------------------------------------------- field vocabularies

_CITIES = (
    "南京",
    "杭州",
    "成都",
    "武汉",
    "西安",
    "苏州",
    "合肥",
    "长沙",
    "郑州",
    "济南",
    "福州",
    "昆明",
    "宁波",
    "青岛",
    "无锡",
    "南昌",
    "贵阳",
    "南宁",
)
_PROVINCES = ("江苏至安徽", "湖北至湖南", "四川至重庆", "河南至山东", "广东至广西", "浙江至福建")


@dataclass(frozen=True)
class _ProjectTemplate:
    title: str
    duty: str
    scale: str
    tasks: tuple[str, ...]
    result: str
    params: Mapping[str, Sequence[Any]]
    since: int


def _p(
    title: str, duty: str, scale: str, tasks: Sequence[str], result: str, *, since: int = 2008, **params: Sequence[Any]
) -> _ProjectTemplate:
    return _ProjectTemplate(title, duty, scale, tuple(tasks), result, params, since)


_PROJECTS: Mapping[str, tuple[_ProjectTemplate, ...]] = {
    "electrical": (
        _p(
            "{city}{kv}千伏{sub}变电站新建工程",
            "负责电气一次部分的设计与主设备选型",
            "该工程新建主变压器{n_tr}台，单台容量{cap}兆伏安，{kv}千伏出线{lines}回，"
            "静态总投资约{budget}亿元，计划工期{months}个月。",
            (
                "我完成了全站短路电流计算和主接线方案比选，结合远景扩建需求推荐采用{scheme}接线，"
                "使变电站占地面积较初步方案减少约{land}%。",
                "在设备选型阶段，我逐台核算了断路器开断能力和互感器二次负荷，编制技术规范书{specs}份，"
                "并参加了{bids}个标包的技术评标。",
                "针对站址土壤电阻率偏高的问题，我用CDEGS软件对接地网进行数值仿真，通过增设{rods}根深井接地极，"
                "将接地电阻由{r1}欧姆降至{r2}欧姆，满足了跨步电压和接触电压的要求。",
                "施工阶段我驻场{days}天，处理设计变更{changes}项，并见证了全部交接试验。",
            ),
            "工程一次投运成功，首年设备可用率达到{avail}%，该项目获得了{award}。",
            city=_CITIES,
            sub=("东郊", "滨江", "新城", "高新", "临港", "北湖", "桃园", "金桥"),
            grid=(
                {"kv": 110, "cap": 50, "budget": "0.9"},
                {"kv": 110, "cap": 63, "budget": "1.1"},
                {"kv": 220, "cap": 180, "budget": "2.6"},
                {"kv": 220, "cap": 240, "budget": "3.2"},
                {"kv": 500, "cap": 1000, "budget": "9.8"},
            ),
            n_tr=(2, 3),
            lines=range(4, 13, 2),
            months=range(14, 25),
            land=range(8, 19),
            scheme=("双母线", "双母线单分段", "单母线分段"),
            specs=range(12, 31),
            bids=range(4, 10),
            rods=range(8, 25),
            r1=("0.92", "1.15", "1.36", "0.87"),
            r2=("0.42", "0.48", "0.35", "0.45"),
            days=range(60, 181, 10),
            changes=range(9, 27),
            avail=("99.6", "99.8", "99.9"),
            award=("省级优秀工程设计二等奖", "公司优质工程奖", "电力行业优秀设计三等奖"),
        ),
        _p(
            "{city}城区配电网自动化改造工程",
            "负责馈线自动化方案设计与主站联调",
            "项目覆盖10千伏馈线{feeders}条、配电终端{terminals}台，总投资{budget}万元，工期{months}个月。",
            (
                "我根据各条馈线的网架结构和负荷特性，分别采用就地型和集中型馈线自动化模式，逐条编制了差异化配置方案。",
                "我编写了故障定位与隔离逻辑的测试用例{cases}条，在主站系统中逐条完成仿真验证，"
                "发现并推动厂家修改逻辑缺陷{defects}处。",
                "针对老旧开关柜无法加装电动操作机构的问题，我提出整柜更换与局部改造相结合的方案，"
                "节约投资约{save}万元。",
            ),
            "改造完成后，故障隔离时间由平均{t1}分钟缩短到{t2}分钟以内，城区供电可靠率提升至{rel}%。",
            since=2012,
            city=_CITIES,
            feeders=range(86, 241),
            terminals=range(420, 1300, 20),
            budget=range(3800, 9800, 100),
            months=range(10, 19),
            cases=range(120, 360, 10),
            defects=range(5, 17),
            save=range(260, 780, 10),
            t1=(45, 60, 75, 90),
            t2=(3, 5, 8),
            rel=("99.96", "99.97", "99.98", "99.99"),
        ),
        _p(
            "{place}{mw}兆瓦光伏发电项目",
            "负责光伏区电气设计和升压站继电保护配置",
            "项目交流侧装机容量{mw}兆瓦，配套建设{kv2}千伏升压站一座及{storage}兆瓦时储能系统，"
            "总投资约{budget}亿元，建设工期{months}个月。",
            (
                "我利用PVsyst软件对组件倾角、阵列间距和容配比进行了{schemes}个方案的比选，"
                "推荐方案使首年等效利用小时数提高约{gain}%。",
                "针对集电线路较长带来的电压偏差问题，我完成了无功补偿容量计算，确定配置{svg}兆乏的动态无功补偿装置。",
                "我牵头编写了并网调试方案，与电网调度部门协调完成涉网试验{tests}项，"
                "其中包括低电压穿越试验和一次调频试验。",
            ),
            "项目按期全容量并网，年发电量约{gwh}亿千瓦时，每年可减少二氧化碳排放约{co2}万吨。",
            since=2013,
            place=("青海共和", "宁夏中卫", "内蒙古乌兰察布", "河北张北", "甘肃酒泉", "新疆哈密"),
            pv=(
                {"mw": 100, "kv2": 110, "budget": "4.3", "gwh": "1.6", "co2": "13"},
                {"mw": 200, "kv2": 220, "budget": "8.5", "gwh": "3.3", "co2": "26"},
                {"mw": 300, "kv2": 220, "budget": "12.6", "gwh": "5.0", "co2": "40"},
            ),
            storage=(20, 40, 60, 80),
            months=range(8, 15),
            schemes=range(4, 9),
            gain=("2.1", "2.8", "3.4", "4.0"),
            svg=(12, 18, 24, 30),
            tests=range(6, 13),
        ),
        _p(
            "{kv}千伏{city}至{city2}输电线路工程",
            "负责线路路径优化和杆塔结构计算",
            "线路全长{km}公里，新建铁塔{towers}基，途经{terrain}，总投资约{budget}亿元。",
            (
                "我综合利用卫星影像和激光雷达点云数据开展路径优化，避让自然保护区和村镇密集区{avoid}处，"
                "使线路长度较可研方案缩短{short}公里。",
                "我完成了{types}种塔型的荷载计算与结构校核，并对设计覆冰厚度{ice}毫米的重冰区段提出了加强措施。",
                "施工图阶段我组织了{rounds}轮内部校审，纠正交叉跨越距离不足等问题{issues}处。",
            ),
            "线路投运{years}年来运行稳定，未发生因设计原因导致的跳闸事件。",
            line=(
                {"kv": 220, "km": 46, "towers": 132, "budget": "2.1"},
                {"kv": 500, "km": 128, "towers": 276, "budget": "11.4"},
                {"kv": 220, "km": 63, "towers": 171, "budget": "2.9"},
                {"kv": 500, "km": 97, "towers": 214, "budget": "8.6"},
            ),
            city=_CITIES,
            city2=_CITIES,
            terrain=("丘陵和山地", "平原和河网", "高山大岭"),
            avoid=range(3, 9),
            short=("2.3", "3.8", "4.6", "5.1"),
            types=range(6, 15),
            ice=(10, 15, 20, 30),
            rounds=(2, 3),
            issues=range(11, 36),
            years=(2, 3, 4),
        ),
        _p(
            "{city}电网继电保护及安全自动装置升级改造",
            "负责保护定值整定计算和停电改造方案编制",
            "项目涉及变电站{subs}座、保护装置{devices}套，总投资{budget}万元，分{phases}个阶段停电实施。",
            (
                "我建立了覆盖全网的短路计算模型，完成{devices}套保护装置的定值整定计算，"
                "并逐级进行了上下级保护的配合校核。",
                "我编制了分阶段停电改造方案，通过优化停电顺序和采用临时过渡方式，将累计停电时户数减少约{reduce}%。",
                "改造过程中我发现某型号保护装置的软件版本存在逻辑缺陷，及时组织厂家升级了{patched}套装置的程序。",
            ),
            "改造完成后，保护正确动作率连续{years}年保持100%。",
            city=_CITIES,
            subs=range(12, 37),
            devices=range(180, 520, 10),
            budget=range(2600, 7200, 100),
            phases=(3, 4, 5),
            reduce=range(18, 41),
            patched=range(14, 46),
            years=(2, 3),
        ),
        _p(
            "{city}用户侧{mwh}兆瓦时电化学储能电站",
            "负责储能系统集成方案和能量管理策略设计",
            "电站配置磷酸铁锂电池舱{cabins}个，额定功率{mw}兆瓦，接入10千伏系统，总投资约{budget}万元。",
            (
                "我根据用户近{months_data}个月的负荷曲线，设计了峰谷套利与需量管理相结合的充放电策略。",
                "我对电池舱消防系统进行了专项设计，采用全氟己酮与水喷淋相结合的方案，并编写了热失控应急处置规程。",
                "调试阶段我完成了电池管理系统与能量管理系统之间{points}个信号点的对点测试。",
            ),
            "电站投运后，用户每年节约电费约{save}万元，静态投资回收期约{payback}年。",
            since=2018,
            city=_CITIES,
            ess=(
                {"mwh": 10, "mw": 5, "cabins": 4, "budget": 1500},
                {"mwh": 20, "mw": 10, "cabins": 8, "budget": 2900},
                {"mwh": 40, "mw": 10, "cabins": 14, "budget": 5600},
            ),
            months_data=(12, 18, 24),
            points=range(600, 1500, 50),
            save=range(210, 690, 10),
            payback=("5.8", "6.5", "7.2"),
        ),
    ),
    "mechanical": (
        _p(
            "{disp}升涡轮增压发动机缸盖开发",
            "负责缸盖结构设计与冷却水套的流动传热分析",
            "项目研发预算{budget}万元，开发周期{months}个月，目标升功率达到{kwl}千瓦每升。",
            (
                "我运用三维建模和计算流体力学方法对冷却水套进行了{iters}轮迭代优化，使鼻梁区最高温度降低了{dT}摄氏度。",
                "我完成了缸盖高周疲劳安全系数计算，识别出薄弱部位{weak}处，并提出了局部加厚和圆角优化方案。",
                "我跟踪了{samples}件样件的铸造与机加工过程，协调供应商解决了砂芯偏移导致的壁厚超差问题。",
            ),
            "缸盖通过了{hours}小时耐久试验，未出现裂纹，样机升功率达到设计目标。",
            disp=("1.5", "2.0", "1.8"),
            budget=range(1800, 4600, 100),
            months=range(18, 31),
            kwl=(85, 90, 95, 100),
            iters=range(6, 15),
            dT=range(12, 29),
            weak=range(3, 8),
            samples=range(24, 61, 4),
            hours=(400, 600, 800, 1000),
        ),
        _p(
            "{tons}吨级液压挖掘机动臂轻量化设计",
            "负责动臂结构拓扑优化和疲劳寿命评估",
            "项目经费{budget}万元，周期{months}个月，要求在不降低可靠性的前提下将动臂质量减轻{target}%以上。",
            (
                "我基于实测的典型工况载荷谱建立了动臂有限元模型，完成了{cases}种工况的强度分析。",
                "我采用拓扑优化与尺寸优化相结合的方法，将部分Q355钢板替换为高强钢，最终减重{actual}%。",
                "我编写了焊接工艺要求，并参与了{welds}条关键焊缝的焊接工艺评定。",
            ),
            "样机完成了{hours}小时的工业性试验，动臂未出现疲劳裂纹，单机材料成本降低约{cost}元。",
            since=2010,
            tons=(20, 22, 36, 49),
            budget=range(600, 1500, 50),
            months=range(12, 22),
            target=(8, 10),
            cases=range(12, 33),
            actual=("11.2", "12.6", "13.8", "10.5"),
            welds=range(14, 31),
            hours=(1500, 2000, 3000),
            cost=range(3200, 8800, 200),
        ),
        _p(
            "{product}自动化生产线设计与改造",
            "负责工艺布局规划和机器人上下料系统设计",
            "生产线共配置数控加工中心{cnc}台、工业机器人{robots}台，设计节拍{takt}秒，总投资约{budget}万元。",
            (
                "我通过工序分析和线平衡计算，将原有{old}道工序合并为{new}道，消除了两处瓶颈工位。",
                "我利用离线仿真软件对机器人运动轨迹进行了干涉检查和节拍验证，优化后单件节拍缩短{cut}秒。",
                "我设计了夹具快换机构，使换型时间由{c1}分钟降至{c2}分钟。",
            ),
            "生产线投产后，人均产出提高{prod}%，产品一次交检合格率达到{fpy}%。",
            since=2012,
            product=("新能源汽车电机壳体", "变速箱齿轮", "轴承套圈", "液压阀体", "空调压缩机曲轴"),
            cnc=range(12, 37),
            robots=range(6, 19),
            takt=(45, 52, 60, 72),
            budget=range(2200, 6800, 100),
            old=range(14, 19),
            new=range(9, 13),
            cut=range(4, 12),
            c1=(90, 120, 150),
            c2=(15, 20, 25),
            prod=range(25, 61),
            fpy=("98.6", "99.1", "99.4"),
        ),
        _p(
            "{speed}公里每小时城际动车组转向架构架研制",
            "负责构架强度计算和台架试验方案制定",
            "项目总经费{budget}万元，研制周期{months}个月，构架须满足EN 13749标准规定的静强度和疲劳强度要求。",
            (
                "我依据标准载荷工况建立了构架有限元模型，完成了{cases}个载荷组合的静强度计算。",
                "我编制了构架疲劳试验大纲，设定加载循环{cycles}万次，并在试验中负责应变测点布置，共布置测点{gauges}个。",
                "针对试验中发现的横梁连接处应力偏高问题，我提出了加大过渡圆弧半径的改进措施，使该处应力降低{drop}%。",
            ),
            "构架顺利通过第三方型式试验，已随{sets}列动车组装车运用。",
            speed=(160, 200, 250),
            budget=range(1200, 3600, 100),
            months=range(18, 31),
            cases=range(18, 43),
            cycles=(1000, 1200),
            gauges=range(48, 121, 4),
            drop=range(14, 27),
            sets=range(6, 31),
        ),
        _p(
            "{mw}兆瓦风电齿轮箱可靠性提升",
            "负责失效分析和齿轮修形设计",
            "项目预算{budget}万元，周期{months}个月，针对在役{units}台机组齿轮箱的早期失效问题开展攻关。",
            (
                "我对{failed}台失效齿轮箱进行了拆解分析，通过断口观察和金相检验确定主要失效模式为行星轮齿面微点蚀。",
                "我利用齿轮接触分析软件对齿廓和齿向修形参数进行了优化，使齿面最大接触应力降低了{drop}%。",
                "我制定了润滑油在线监测方案，选定颗粒计数和含水量两项关键指标并设定了报警阈值。",
            ),
            "改进后齿轮箱在{years}年内的故障率下降了{fall}%，为业主减少停机损失约{loss}万元。",
            since=2012,
            mw=("2.5", "3.0", "4.5", "6.25"),
            budget=range(500, 1300, 50),
            months=range(10, 19),
            units=range(80, 260, 10),
            failed=range(4, 10),
            drop=range(9, 19),
            years=(2, 3),
            fall=range(35, 71),
            loss=range(600, 2600, 100),
        ),
        _p(
            "精密卧式加工中心主轴热误差补偿",
            "负责温度测点优化和热误差建模",
            "项目经费{budget}万元，周期{months}个月，目标是将主轴轴向热漂移控制在{target}微米以内。",
            (
                "我在主轴箱上布置了{sensors}个温度传感器，通过聚类分析筛选出{keys}个关键测点。",
                "我建立了基于多元回归的热误差预测模型，并在数控系统中实现了实时补偿。",
                "我组织完成了连续{hours}小时的热机试验，采集数据约{records}万组。",
            ),
            "补偿后主轴轴向热漂移由{e1}微米降至{e2}微米，该成果已应用于{machines}台出厂设备。",
            budget=range(180, 520, 20),
            months=range(8, 16),
            target=(5, 6, 8),
            sensors=range(16, 33, 2),
            keys=range(3, 7),
            hours=(48, 72, 96),
            records=range(12, 48),
            e1=range(22, 41),
            e2=range(3, 6),
            machines=range(40, 220, 10),
        ),
    ),
    "civil": (
        _p(
            "{city}{floors}层超高层办公楼施工总承包工程",
            "负责核心筒和钢结构施工技术管理",
            "建筑高度{height}米，总建筑面积约{area}万平方米，合同额{budget}亿元，合同工期{months}个月。",
            (
                "我编制了核心筒液压爬模专项施工方案，经{experts}名专家论证通过，标准层施工周期控制在{days}天。",
                "针对{thick}米厚底板的大体积混凝土浇筑，我进行了温度应力计算，优化配合比并布置测温点{points}个，"
                "有效控制了温差裂缝。",
                "我运用BIM技术对机电管线进行综合排布，提前发现并消除碰撞问题{clash}处。",
            ),
            "工程提前{early}天封顶，获得了{award}。",
            since=2013,
            city=_CITIES,
            tower=(
                {"floors": 52, "height": 238, "area": "18.6", "budget": "21"},
                {"floors": 68, "height": 315, "area": "24.3", "budget": "32"},
                {"floors": 45, "height": 199, "area": "12.8", "budget": "14"},
            ),
            months=range(36, 49),
            experts=(5, 7),
            days=(4, 5),
            thick=("3.2", "3.8", "4.5"),
            points=range(60, 121, 6),
            clash=range(900, 2600, 100),
            early=range(12, 46),
            award=("省级建筑施工安全文明标准化工地", "省级优质结构工程奖", "市级建设工程质量奖"),
        ),
        _p(
            "{city}{river}特大桥",
            "负责主梁施工监控和线形控制",
            "大桥全长{length}米，主跨{span}米，采用{kind}结构，工程概算{budget}亿元，工期{months}个月。",
            (
                "我建立了全桥施工阶段有限元模型，对{segments}个节段的立模标高进行了预测和修正。",
                "我制定了主梁应力和线形监测方案，布置应力测点{points}个，每个节段施工完成后及时进行误差分析。",
                "针对合龙段受温度影响显著的问题，我组织了{obs}次昼夜连续观测，确定了最佳合龙温度和时间窗口。",
            ),
            "全桥合龙精度控制在{mm}毫米以内，成桥线形和索力均满足设计要求。",
            city=_CITIES,
            river=("长江", "汉江", "湘江", "赣江", "黄河", "闽江"),
            bridge=(
                {"kind": "双塔双索面斜拉桥", "span": 638, "length": 2316, "budget": "28"},
                {"kind": "独塔混合梁斜拉桥", "span": 420, "length": 1480, "budget": "13"},
                {"kind": "预应力混凝土连续刚构", "span": 220, "length": 1126, "budget": "6.5"},
            ),
            months=range(30, 49),
            segments=range(42, 97, 2),
            points=range(120, 300, 12),
            obs=(3, 4, 5),
            mm=(10, 12, 15),
        ),
        _p(
            "{city}地铁{line}号线{lot}标段盾构隧道工程",
            "负责盾构掘进参数控制和地表沉降监测分析",
            "标段包括车站{stations}座和区间隧道{km}公里，合同额约{budget}亿元，工期{months}个月。",
            (
                "我根据地质勘察资料对{strata}等地层的掘进参数进行了分区设定，并编制了下穿既有建筑物的专项方案。",
                "盾构下穿{target}期间，我每日分析监测数据，动态调整土仓压力和同步注浆量，将最大沉降控制在{mm}毫米以内。",
                "我组织编写了管片拼装质量控制要点，使管片错台合格率提高到{rate}%。",
            ),
            "区间隧道贯通误差仅{err}毫米，施工期间未发生安全责任事故。",
            city=_CITIES,
            line=range(2, 11),
            lot=range(1, 9),
            stations=(2, 3),
            km=("3.6", "4.2", "5.8"),
            budget=("12.4", "15.8", "19.6"),
            months=range(30, 43),
            strata=("富水砂层", "上软下硬复合地层", "淤泥质黏土层"),
            target=("既有铁路", "城市主干道", "老旧居民楼群", "河道堤防"),
            mm=(8, 10, 12),
            rate=("97.5", "98.2", "99.0"),
            err=range(12, 31),
        ),
        _p(
            "{city}至{city2}高速公路第{lot}合同段",
            "负责路基和边坡工程的技术管理",
            "合同段长{km}公里，包括路基土石方{earth}万立方米、桥梁{bridges}座、隧道{tunnels}座，合同额{budget}亿元。",
            (
                "针对高填方路段，我提出了强夯与冲击碾压相结合的处理方案，将工后沉降控制在{mm}毫米以内。",
                "我对{slopes}处高边坡开展了稳定性计算，设计了锚索框架梁加固方案。",
                "我推行路基压实度的信息化检测，使检测频率提高了{freq}%，数据可追溯。",
            ),
            "合同段交工验收质量评定得分{score}分，被评为优良工程。",
            city=_CITIES,
            city2=_CITIES,
            lot=range(1, 13),
            km=("12.6", "18.4", "21.2", "9.8"),
            earth=range(180, 460, 10),
            bridges=range(6, 19),
            tunnels=(1, 2, 3),
            budget=("8.6", "11.2", "14.5"),
            mm=(80, 100, 120),
            slopes=range(6, 19),
            freq=range(30, 81, 5),
            score=("96.4", "97.2", "98.1"),
        ),
        _p(
            "{city}城市污水处理厂提标扩建工程",
            "负责构筑物结构设计和深基坑支护设计",
            "处理规模由每日{q1}万吨扩建至每日{q2}万吨，出水标准提升至一级A，工程投资约{budget}亿元。",
            (
                "我完成了生物池、二沉池等{structures}座构筑物的结构计算，采用后浇带与膨胀加强带相结合的方式"
                "解决了超长结构的裂缝控制问题。",
                "针对紧邻运行水池的{depth}米深基坑，我设计了钻孔灌注桩加内支撑的支护体系，并制定了变形预警值。",
                "我参加了{rounds}次施工图会审，对施工单位提出的{qs}个技术问题逐一书面答复。",
            ),
            "工程建成后出水水质稳定达标，化学需氧量等主要污染物年削减量约{cut}吨。",
            city=_CITIES,
            plant=(
                {"q1": 10, "q2": 20, "budget": "4.8"},
                {"q1": 15, "q2": 30, "budget": "7.2"},
                {"q1": 20, "q2": 35, "budget": "8.9"},
            ),
            structures=range(9, 19),
            depth=("9.5", "11.2", "13.6"),
            rounds=(2, 3, 4),
            qs=range(26, 71),
            cut=range(3200, 9800, 200),
        ),
        _p(
            "{city}装配式保障性住房项目",
            "负责预制构件深化设计和吊装方案编制",
            "总建筑面积{area}万平方米，共{blocks}栋住宅，预制率达到{pre}%，总投资约{budget}亿元。",
            (
                "我完成了预制叠合板、预制楼梯等{types}类构件的深化设计，共出具构件详图{drawings}张。",
                "我编制了构件吊装专项方案，对塔吊选型和布置进行了计算，保证了最重构件{weight}吨的吊装安全。",
                "我组织开展了灌浆套筒连接的工艺试验，制定了灌浆饱满度检测流程，抽检合格率达到100%。",
            ),
            "项目标准层施工速度达到{days}天一层，较传统现浇工艺缩短工期约{save}%。",
            since=2016,
            city=_CITIES,
            area=("16.5", "22.8", "31.4"),
            blocks=range(8, 21),
            pre=(40, 45, 50),
            budget=("9.2", "12.6", "17.8"),
            types=range(5, 10),
            drawings=range(1600, 4200, 100),
            weight=("6.8", "7.5", "8.2"),
            days=(5, 6),
            save=range(15, 26),
        ),
    ),
    "ict": (
        _p(
            "{city}5G独立组网无线网络规划与建设",
            "负责无线网络规划仿真和站址方案审定",
            "项目新建5G基站{bs}个，覆盖面积约{area}平方公里，投资约{budget}亿元，建设周期{months}个月。",
            (
                "我基于三维电子地图和传播模型进行覆盖仿真，完成了{bs}个站址的规划方案，共享既有铁塔资源的比例达到{share}%。",
                "我制定了{bands}频段的频率与邻区规划，并编写了参数优化指导书。",
                "在网络优化阶段，我分析了{km}公里的路测数据，定位并解决弱覆盖和越区覆盖问题{issues}处。",
            ),
            "网络开通后，重点区域5G覆盖率达到{cov}%，平均下行速率超过{rate}兆比特每秒。",
            since=2019,
            city=_CITIES,
            bs=range(1200, 3600, 100),
            area=range(380, 1200, 20),
            budget=("6.2", "8.8", "11.5"),
            months=range(10, 19),
            share=range(72, 93),
            bands=("3.5吉赫兹", "2.6吉赫兹", "700兆赫兹"),
            km=range(1800, 5200, 100),
            issues=range(140, 420, 10),
            cov=("98.2", "98.9", "99.3"),
            rate=(420, 560, 680),
        ),
        _p(
            "{city}数据中心{racks}机架新建工程",
            "负责网络架构设计和动力环境监控系统建设",
            "项目总建筑面积{area}平方米，IT负载{mw}兆瓦，设计电能利用效率（PUE）不高于{pue}，总投资约{budget}亿元。",
            (
                "我设计了基于叶脊架构的数据中心网络，单集群可支持{servers}台服务器无阻塞互联。",
                "我完成了动力环境监控系统的方案设计，接入监测点{points}个，实现了供配电和制冷设备的集中监控。",
                "我编写了网络割接和容灾切换方案，组织了{drills}次故障切换演练。",
            ),
            "数据中心投运后实测年均PUE为{real_pue}，网络可用性达到{avail}%。",
            since=2013,
            city=_CITIES,
            dc=(
                {"racks": 3000, "area": 26000, "mw": 18, "budget": "9.6"},
                {"racks": 5000, "area": 42000, "mw": 30, "budget": "15.2"},
                {"racks": 2000, "area": 18000, "mw": 12, "budget": "6.4"},
            ),
            pue=("1.30", "1.25"),
            servers=(4096, 8192, 16384),
            points=range(6000, 18000, 500),
            drills=range(4, 11),
            real_pue=("1.24", "1.22", "1.27"),
            avail=("99.99", "99.995"),
        ),
        _p(
            "{company}工业互联网平台建设",
            "负责数据采集架构设计和设备预测性维护模型开发",
            "平台接入设备{devices}台，日均采集数据约{data}亿条，项目预算{budget}万元，周期{months}个月。",
            (
                "我梳理了{protocols}种工业协议的接入需求，设计了边缘网关与云平台协同的数据采集架构。",
                "我基于振动和温度数据开发了关键设备的故障预测模型，模型在测试集上的召回率达到{recall}%。",
                "我主持编写了数据字典和接口规范，统一了{systems}个业务系统的数据口径。",
            ),
            "平台上线后，关键设备非计划停机时间减少{down}%，每年节约维修费用约{save}万元。",
            since=2018,
            company=("某装备制造企业", "某钢铁集团", "某化工园区", "某汽车零部件企业"),
            devices=range(3200, 12000, 200),
            data=("1.2", "2.6", "4.8"),
            budget=range(1600, 4800, 100),
            months=range(10, 19),
            protocols=range(8, 17),
            recall=range(86, 95),
            systems=range(6, 15),
            down=range(22, 46),
            save=range(300, 1200, 50),
        ),
        _p(
            "{city}政务服务一体化平台",
            "负责系统总体架构设计和安全技术方案",
            "平台承载政务服务事项{items}项，日均访问量约{visits}万次，项目投资{budget}万元。",
            (
                "我采用微服务架构对原有单体系统进行了拆分，划分服务{services}个，并设计了服务治理与灰度发布机制。",
                "我依据网络安全等级保护三级要求，制定了身份认证、数据加密和审计日志的技术方案。",
                "我组织完成了{rounds}轮性能压力测试，系统在每秒{tps}笔交易的峰值下平均响应时间低于{ms}毫秒。",
            ),
            "平台上线后，{pct}%的事项实现全程网办，群众办事平均跑动次数降到{runs}次以下。",
            since=2018,
            city=_CITIES,
            items=range(1800, 3600, 100),
            visits=range(40, 180, 10),
            budget=range(2400, 6800, 100),
            services=range(36, 96, 4),
            rounds=(4, 5, 6),
            tps=(3000, 5000, 8000),
            ms=(200, 300),
            pct=range(85, 97),
            runs=("0.5", "0.3", "0.2"),
        ),
        _p(
            "{provinces}省际光传送网扩容工程",
            "负责传输网络方案设计和业务割接实施",
            "工程新建光缆{km}公里，新增波分系统{systems}套，单波速率{rate}吉比特每秒，投资约{budget}亿元。",
            (
                "我根据业务预测完成了未来{years}年的容量规划，提出了采用可重构光分插复用设备的组网方案。",
                "我进行了光功率预算和色散计算，确定了{amps}个光放站的位置。",
                "我编制了{cutover}次业务割接方案，全部在夜间窗口内完成，未发生业务中断投诉。",
            ),
            "扩容后干线带宽提升至原来的{mult}倍，端到端时延降低约{lat}%。",
            since=2016,
            provinces=_PROVINCES,
            km=range(420, 1300, 20),
            systems=range(4, 11),
            rate=(200, 400),
            budget=("2.4", "3.6", "5.1"),
            years=(3, 5),
            amps=range(8, 21),
            cutover=range(12, 40),
            mult=(4, 6, 8),
            lat=range(12, 27),
        ),
        _p(
            "{city}城市智能交通信号控制系统",
            "负责信号配时优化算法和系统集成",
            "系统覆盖信号控制路口{intersections}个，接入视频检测器{cams}路，项目投资{budget}万元。",
            (
                "我基于视频检测数据建立了交通流模型，设计了干线绿波协调控制算法。",
                "我编写了信号机通信接口适配程序，兼容{vendors}家厂商的信号机设备。",
                "我组织开展了{weeks}周的现场试运行，根据早晚高峰数据对配时方案进行了{times}轮调整。",
            ),
            "系统运行后，试点干线平均通行时间缩短{cut}%，停车次数减少{stop}%。",
            since=2014,
            city=_CITIES,
            intersections=range(260, 900, 20),
            cams=range(1200, 3600, 100),
            budget=range(2800, 7600, 100),
            vendors=range(3, 7),
            weeks=(6, 8, 10),
            times=range(3, 8),
            cut=range(12, 24),
            stop=range(18, 36),
        ),
    ),
}

_FIELD: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "electrical": {
        "name": ("电气工程",),
        "work": ("电力工程设计与建设", "电网规划与运行", "新能源发电与并网工程"),
        "universities": (
            "华北电力大学",
            "西安交通大学",
            "华中科技大学",
            "东南大学",
            "武汉大学",
            "四川大学",
            "浙江大学",
            "重庆大学",
        ),
        "majors": ("电气工程及其自动化", "电力系统及其自动化", "高电压与绝缘技术", "电力电子与电力传动"),
        "knowledge": ("电力系统分析", "高电压技术", "继电保护原理", "电力电子技术", "电机学", "电磁暂态分析"),
        "standards": (
            "GB 50059《35kV～110kV变电站设计规范》",
            "DL/T 5218《220kV～750kV变电站设计技术规程》",
            "GB/T 14285《继电保护和安全自动装置技术规程》",
            "GB 50797《光伏发电站设计规范》",
            "GB 50545《110kV～750kV架空输电线路设计规范》",
        ),
        "tools": ("PSCAD/EMTDC", "PSASP", "ETAP", "CDEGS", "MATLAB/Simulink"),
        "disciplines": ("电气一次、电气二次、土建和通信", "系统、保护、自动化和线路", "电气、结构、暖通和消防"),
        "partners": ("设备制造厂家", "电网调度机构", "施工和监理单位"),
        "ethics": (
            "在{p1}的验收阶段，我发现一批电缆终端头的制作工艺不符合规范要求，虽然返工会使投运推迟{d_small}天，"
            "我仍坚持全部返工，并将情况如实报告了项目业主。",
            "曾有供应商在评标前私下联系我，希望在技术评分上得到关照，我当场拒绝，并按单位规定向纪检部门作了报备。",
            "我严格执行电力安全工作规程中的“两票三制”，在现场从不无票作业，也多次制止过未验电即挂接地线的违章行为。",
        ),
        "trends": ("新型电力系统", "数字化变电站", "源网荷储一体化"),
        "self_learn": ("Python数据分析", "电磁暂态仿真", "储能系统集成技术", "电力市场交易规则"),
        "topics": ("新型电力系统", "电力市场", "储能技术", "数字孪生电网"),
        "confs": ("中国电机工程学会年会", "全国电力系统自动化学术交流会", "国际大电网会议（CIGRE）中国区活动"),
        "certs": (
            "注册电气工程师（发输变电）执业资格",
            "一级注册建造师（机电工程）执业资格",
            "注册咨询工程师（投资）执业资格",
        ),
        "rd": ("构网型储能", "配电网数字孪生", "柔性直流输电"),
    },
    "mechanical": {
        "name": ("机械工程",),
        "work": ("机械产品研发", "装备结构设计与试验", "先进制造工艺"),
        "universities": (
            "哈尔滨工业大学",
            "吉林大学",
            "上海交通大学",
            "华中科技大学",
            "合肥工业大学",
            "大连理工大学",
            "北京理工大学",
            "燕山大学",
        ),
        "majors": ("机械设计制造及其自动化", "车辆工程", "机械电子工程", "材料成型及控制工程"),
        "knowledge": ("机械设计", "材料力学", "机械振动", "有限元分析", "制造工艺学", "疲劳与断裂力学", "液压传动"),
        "standards": (
            "GB/T 3480《渐开线圆柱齿轮承载能力计算方法》",
            "ISO 6336",
            "EN 13749",
            "GB/T 15706《机械安全 设计通则》",
            "IATF 16949",
        ),
        "tools": ("CATIA", "SolidWorks", "ANSYS", "Abaqus", "nCode", "Romax"),
        "disciplines": ("结构、材料、工艺、试验和质量", "设计、仿真、采购和制造", "机械、电气、控制和工艺"),
        "partners": ("零部件供应商", "高校课题组", "第三方检测机构"),
        "ethics": (
            "在{p1}中，我在样件检测时发现一批零件的材料硬度低于图纸要求，尽管供应商提出让步接收，"
            "我仍坚持按不合格品处理，避免了潜在的批量失效风险。",
            "我在编写试验报告时坚持如实记录全部数据，包括未达到预期的{n_small}组试验结果，并认真分析原因，"
            "从不选择性地只报告有利数据。",
            "对于涉及人身安全的防护设计，我坚持按照GB/T 15706进行风险评估，从不以降低成本为由取消必要的安全联锁。",
        ),
        "trends": ("智能制造", "轻量化设计", "数字化研发"),
        "self_learn": ("多体动力学仿真", "Python数据处理", "增材制造工艺", "可靠性工程方法"),
        "topics": ("增材制造", "智能制造", "可靠性工程", "机械安全"),
        "confs": ("中国机械工程学会年会", "全国机械传动学术会议", "中国汽车工程学会年会"),
        "certs": ("注册设备监理师执业资格", "中级质量工程师资格", "六西格玛黑带认证"),
        "rd": ("数字孪生试验台", "高强钢轻量化结构", "智能产线"),
    },
    "civil": {
        "name": ("土木工程",),
        "work": ("土木工程施工技术管理", "结构设计与施工监控", "岩土与地下工程"),
        "universities": (
            "同济大学",
            "东南大学",
            "西南交通大学",
            "湖南大学",
            "长安大学",
            "哈尔滨工业大学",
            "重庆大学",
            "中南大学",
        ),
        "majors": ("土木工程", "桥梁与隧道工程", "结构工程", "岩土工程"),
        "knowledge": ("结构力学", "土力学与基础工程", "钢筋混凝土结构", "钢结构", "桥梁工程", "施工组织设计"),
        "standards": (
            "GB 50010《混凝土结构设计规范》",
            "GB 50007《建筑地基基础设计规范》",
            "JGJ 120《建筑基坑支护技术规程》",
            "GB 50204《混凝土结构工程施工质量验收规范》",
            "JTG D60《公路桥涵设计通用规范》",
            "GB 50446《盾构法隧道施工及验收规范》",
        ),
        "tools": ("Midas Civil", "PKPM", "SAP2000", "Revit", "理正深基坑"),
        "disciplines": ("结构、岩土、给排水、机电和测量", "设计、施工、监理和监测", "土建、钢结构、幕墙和机电"),
        "partners": ("设计院", "监理单位", "第三方监测单位"),
        "ethics": (
            "在{p1}施工中，我发现一批进场钢筋的复试结果不合格，立即要求清退出场，并向监理单位和质量监督部门如实报告，"
            "拒绝了分包单位“先用后补”的要求。",
            "深基坑施工期间，监测数据连续{n_small}天接近预警值，我主动建议暂停开挖并组织专家会诊，"
            "虽然影响了工期，但保证了周边建筑物和居民的安全。",
            "我在签署隐蔽工程验收记录时坚持亲自到场检查，从不代签或补签。",
        ),
        "trends": ("智能建造", "BIM与数字孪生", "绿色低碳建造"),
        "self_learn": ("BIM协同管理", "参数化建模", "结构健康监测技术", "Python数据分析"),
        "topics": ("智能建造", "装配式建筑", "绿色施工", "BIM技术"),
        "confs": ("全国结构工程学术会议", "中国土木工程学会年会", "全国桥梁学术会议"),
        "certs": ("一级注册结构工程师执业资格", "一级注册建造师（建筑工程）执业资格", "注册岩土工程师执业资格"),
        "rd": ("智能建造", "装配式结构", "基础设施健康监测"),
    },
    "ict": {
        "name": ("信息与通信工程",),
        "work": ("通信网络规划与建设", "信息系统架构设计", "云计算与数据平台建设"),
        "universities": (
            "北京邮电大学",
            "电子科技大学",
            "西安电子科技大学",
            "东南大学",
            "华中科技大学",
            "南京邮电大学",
            "浙江大学",
            "北京航空航天大学",
        ),
        "majors": ("通信工程", "计算机科学与技术", "软件工程", "信息与通信工程"),
        "knowledge": ("通信原理", "计算机网络", "分布式系统", "数据库原理", "信息安全", "无线传播理论", "机器学习"),
        "standards": (
            "GB/T 22239《信息安全技术 网络安全等级保护基本要求》",
            "3GPP R15/R16系列规范",
            "GB 50174《数据中心设计规范》",
            "GB/T 35273《信息安全技术 个人信息安全规范》",
            "ITU-T G.652",
        ),
        "tools": ("Atoll", "Python", "Kubernetes", "Wireshark", "MATLAB", "Prometheus"),
        "disciplines": ("无线、传输、核心网和配套", "前端、后端、测试和运维", "网络、安全、软件和机房"),
        "partners": ("设备厂商", "软件开发合作团队", "客户业务部门"),
        "ethics": (
            "在{p1}中，我主导制定了个人信息和敏感数据的分级保护方案，坚持最小必要原则，"
            "拒绝了采集与业务无关的用户数据的需求。",
            "在系统测试中我发现一个可能导致用户数据越权访问的安全漏洞，虽然距离计划上线只有{d_small}天，"
            "我仍坚持推迟上线，修复并复测通过后才交付。",
            "我严格遵守《网络安全法》和《数据安全法》，对项目使用的开源组件逐一进行了许可证合规审查，共排查组件{n_mid}个。",
        ),
        "trends": ("云原生", "人工智能", "算力网络"),
        "self_learn": ("Go语言开发", "机器学习算法", "零信任安全架构", "网络自动化运维"),
        "topics": ("云原生技术", "人工智能", "网络安全", "6G前沿技术"),
        "confs": ("中国通信学会学术年会", "全国网络与信息安全学术会议", "中国计算机大会"),
        "certs": (
            "信息系统项目管理师资格",
            "注册信息安全专业人员（CISP）认证",
            "一级注册建造师（通信与广电工程）执业资格",
        ),
        "rd": ("算力网络", "工业大模型", "网络安全态势感知"),
    },
}

_LEVEL_CN = {"apprentice": "见习工程师", "professional": "专业工程师", "senior": "资深专业工程师"}
_TITLES = {
    "apprentice": ("助理工程师", "技术员", "设计员"),
    "professional": ("工程师", "高级工程师", "主任工程师"),
    "senior": ("正高级工程师", "总工程师", "副总工程师", "首席专家"),
}
_ROLES = {
    "apprentice": ("专业设计人", "现场技术员", "设计助理", "专业技术员"),
    "professional": ("专业负责人", "技术负责人", "主设计人", "项目副经理"),
    "senior": ("项目总工程师", "设计总工程师", "项目经理", "技术总负责人"),
}
_WORK_YEARS = {"apprentice": (1, 7), "professional": (6, 20), "senior": (15, 42)}
_BIRTH_YEARS = {"apprentice": (1996, 2001), "professional": (1983, 1995), "senior": (1965, 1980)}
_DEGREES = {"学士": 22, "硕士": 25, "博士": 28}
_DEGREE_WORD = {"学士": "本科", "硕士": "硕士研究生", "博士": "博士研究生"}
_NUMERALS = "一二三四五"


# --------------------------------------------------------------------------- sentence templates

_INTROS = (
    "本人{name}，{grad_year}年毕业于{university}{major}专业，获{degree}学位。毕业后进入{employer}工作至今，"
    "现任{title}，从事{work}工作已有{work_years}年。下面结合本人实际承担的工程项目，按五个能力领域陈述个人情况。",
    "我于{grad_year}年从{university}{major}专业{degree_word}毕业，随后加入{employer}，目前担任{title}。"
    "{work_years}年来，我一直在{work}一线工作，亲身参与并主导了多项工程。以下按照五个能力领域，陈述由我本人完成的工作。",
    "我叫{name}，现就职于{employer}，职务为{title}。我{grad_year}年获得{university}{major}专业{degree}学位，"
    "参加工作{work_years}年，主要从事{work}。下面结合我亲自承担的{n_projects}个代表性项目，逐项说明本人的工程能力。",
    "我是{employer}的{title}{name}，{degree_word}毕业于{university}{major}专业，工作{work_years}年来始终从事{work}。"
    "本自述只陈述我个人的职责和贡献，团队成果均注明本人所起的作用。",
)
_KNOWLEDGE_OPENERS = (
    "我系统掌握了{knowledge}等专业知识，熟悉{standards}等标准规范，能够熟练运用{tools}等工具分析和解决复杂工程问题。"
    "以下是我亲自承担的{n_projects}个代表性项目。",
    "通过{work_years}年的工程实践，我将{knowledge}等理论知识与现场实际相结合，熟练掌握了{standards}等规范，"
    "并能使用{tools}开展计算分析。下面按时间顺序介绍{n_projects}个能体现本人专业能力的项目。",
    "我的专业基础包括{knowledge}等，日常工作中严格执行{standards}等标准，常用的分析工具有{tools}。"
    "以下{n_projects}个项目中的技术工作均由我本人完成或主持完成。",
)
_ROLE_SENTENCES = (
    "在该项目中，我担任{role}，主要{duty}。",
    "我在项目中的角色是{role}，具体{duty}。",
    "本人作为{role}参与该项目，{duty}。",
    "我是该项目的{role}，{duty}，下述工作均由我本人完成或牵头完成。",
)
_KNOWLEDGE_EXTRAS = (
    "以上项目中由我编制或签署的计算书、技术方案和图纸均已归档，可作为本人专业能力的佐证材料。",
    "在这些项目中，我逐步形成了先做方案比选、再做定量计算、最后用现场数据复核的工作习惯。",
    "除上述项目外，我还独立承担过{n_mid}项小型工程的技术工作，积累了处理现场疑难问题的经验。",
    "遇到规范没有明确规定的技术问题时，我会查阅国内外文献、请教专家并通过计算或试验加以验证，而不是凭经验简单处理。",
    "回顾{p_any}，我体会到在方案阶段多投入一分精力，后期就能减少大量返工，这一点已成为我做技术决策的原则。",
    "{p_any}结束后，我把其中遇到的{n_small}个典型技术问题整理成案例，在部门内部作了专题分享。",
    "在{p_any}中，我还负责编写竣工技术总结，对设计参数与实测数据的偏差进行了逐项分析，并提出了改进建议。",
    "在{p_any}的方案论证中，我提出的{n_small}条优化建议被业主采纳，其中部分建议写入了后续同类项目的技术要求。",
)
_ETHICS_GENERIC = (
    "我始终把公众的安全、健康和福祉放在工程决策的首位，严格遵守国家法律法规和强制性标准，从不为赶工期或降成本而降低安全裕度。",
    "在本自述中，凡涉及团队成果的部分，我都明确区分了本人的贡献，所述内容真实可靠，愿意接受核实。",
    "我尊重知识产权，在撰写技术文件和论文时规范引用他人成果，从不将团队或他人的成果据为己有。",
    "我认为工程师对社会和环境负有责任，在{p_any}中，我提出的优化措施减少了约{pct}%的材料消耗和施工废弃物。",
    "对于设计和施工中发现的错误，无论是否由本人造成，我都及时提出并推动纠正，事后组织复盘，防止同类问题再次发生。",
    "在处理与业主、施工单位或供应商之间的利益冲突时，我坚持以规范和合同为依据，公平公正地提出意见。",
    "我严格保守工作中接触到的商业秘密和涉密信息，申报材料中引用的项目资料均已按单位规定完成脱密处理。",
    "我不在自己不具备相应能力的领域出具技术意见，遇到超出本人专业范围的问题时，会主动请相关专业的同事或专家把关。",
    "在{p_any}的招标和采购过程中，我严格遵守回避制度，与投标单位之间没有任何利益往来。",
)
_TEAM = (
    "在{p1}中，项目团队共有{team}人，涉及{disciplines}等多个专业，我负责的是{duty_short}，同时作为本专业的接口人与其他专业协调。",
    "我坚持每周组织一次技术协调会，建立问题清单闭环管理机制，累计协调解决接口问题{n_mid}项。",
    "在与业主和监理单位的沟通中，我注重用数据和图表说明技术方案，先后进行了{n_small}次方案汇报，均获得认可。",
    "我重视书面表达，独立编写的技术报告、专项方案和总结材料累计超过{docs}份。",
    "在{p2}中，我与{partner}密切合作，通过联合办公和定期视频会议解决了进度和技术接口问题。",
    "团队中出现意见分歧时，我会先倾听各方理由，再组织对比计算或试验，用客观结果统一认识。",
    "我能够使用英语阅读技术文献，曾参加与国外厂商的技术交流，负责了{n_small}次会议的技术沟通和纪要整理。",
    "我曾带教{mentees}名新入职的同事，通过一对一指导帮助他们完成计算和图纸，其中{mentees_ok}人已能独立承担专业工作。",
    "对于需要其他部门配合的工作，我会提前书面说明需求和时间节点，避免因信息不对称影响整体进度。",
    "在{p_any}的现场阶段，我每天与施工班组进行技术交底，用通俗的语言讲清楚关键工序的质量要求和安全风险。",
    "我乐于分享经验，在单位内部开设了{n_small}次专题讲座，听众累计超过{docs}人次。",
)
_LEARNING = (
    "我坚持参加继续教育，近三年年均完成学习{hours_year}学时，内容涵盖{topics}等方面。",
    "为了跟上{trend}的技术发展，我利用业余时间自学了{self_learn}，并将所学应用到{p_any}中。",
    "我每年制定个人发展计划，年终对照检查完成情况，并根据工作需要调整下一年的学习重点。",
    "我参加了{conf}等学术活动，并在其中{n_small}次会议上作了技术交流报告。",
    "我注重从工程实践中总结经验，撰写的{n_small}篇项目技术总结已纳入单位知识库，供同事参考。",
    "我关注行业标准的更新，每当新版规范发布，都会组织专业小组学习并对照检查在建项目。",
    "我有阅读国外技术文献的习惯，每年精读专业论文和技术报告约{n_mid}篇，并做读书笔记。",
    "我把每一个项目都当作学习的机会，{p_any}让我系统掌握了此前较少接触的{self_learn}。",
)
_LEARNING_BY_LEVEL = {
    "apprentice": (
        "我已通过单位组织的岗位技能考核，目前正在按照计划备考{cert}。",
        "工作以来，我以第一作者身份在行业期刊发表论文{papers}篇，参与申请专利{patents}项。",
        "我参加了单位的青年工程师培养计划，在导师指导下完成了{n_small}个专题的学习和答辩。",
    ),
    "professional": (
        "我已取得{cert}，并按要求完成了执业继续教育。",
        "我以第一作者或主要作者身份发表论文{papers}篇，获得授权专利{patents}项。",
        "我参与编写了团体标准{n_small}项，负责其中技术条款的起草和验证。",
    ),
    "senior": (
        "我已取得{cert}，并受聘担任行业学会专业委员会委员。",
        "我以第一作者或通讯作者身份发表论文{papers}篇，获得授权发明专利{patents}项，出版专著1部。",
        "我主持或参与编写了国家标准和行业标准{n_small}项，并多次为同行讲授新版规范的理解与应用。",
    ),
}
_LEADERSHIP = {
    "apprentice": (
        "作为青年工程师，我在{p1}中负责本人所承担任务的进度跟踪，编制了周计划和月计划，按期完成了全部任务。",
        "我学习并应用项目管理的基本方法，使用甘特图管理本人负责的{n_mid}项工作任务，没有发生延误。",
        "在{p_any}中，我组织{n_small}名同事开展专项质量检查，对发现的问题建立台账并跟踪整改到位。",
        "在{p2}中，项目负责人安排我牵头一个{team_small}人的临时小组完成专项工作，我合理分工并每天汇总进展，提前{d_small}天完成。",
        "我认识到自己在统筹协调和风险管理方面仍有不足，计划在今后的工作中逐步承担更多组织工作。",
        "我主动参加了单位组织的项目管理培训，并在实践中学习如何平衡进度、质量和成本。",
    ),
    "professional": (
        "在{p1}中，我作为{role}负责本专业的进度、质量和成本控制，带领{team_small}人的专业小组按期完成了全部任务。",
        "我采用关键路径法编制项目进度计划，对{n_mid}个关键节点进行跟踪，在{p2}中通过调整工序使总工期缩短了{d_mid}天。",
        "在成本控制方面，我组织开展方案优化和限额设计，累计为项目节约投资约{save_wan}万元。",
        "我建立了项目风险清单，识别主要风险{n_mid}项并逐项制定应对措施，项目实施过程中未发生重大风险事件。",
        "我注重过程质量管理，推行专业内部自校、互校和审核三级校审制度，所负责成果的外部审查一次通过率达到{pct_high}%。",
        "在突发情况下，我能够迅速组织资源处置，例如在{p_any}中遇到关键设备延期到货，我调整施工顺序，保证了里程碑节点。",
    ),
    "senior": (
        "近年来，我作为{role}全面负责{p1}的技术和管理工作，领导的团队规模达到{team_big}人，管理预算{budget_big}亿元。",
        "我主持建立了项目质量管理体系，制定管理制度和作业指导书{n_mid}项，项目质量验收一次合格率达到100%。",
        "面对{p2}中的进度滞后问题，我调整了组织架构，设立{n_small}个专项攻关小组，最终将滞后的{d_mid}天工期全部追回。",
        "我重视人才培养，担任单位技术带头人，培养的{mentees}名工程师中已有{mentees_ok}人取得高级职称。",
        "在对外协调中，我代表单位与政府主管部门、业主和合作方沟通谈判，妥善处理了{n_small}起合同变更和索赔事项。",
        "我参与编制了单位的技术发展规划，推动设立了{rd}研发方向，并担任该方向负责人。",
    ),
}
_CLOSINGS = (
    "以上陈述均为本人亲身经历和实际完成的工作，如需核实，可联系本人所在单位。恳请各位评审专家审核。",
    "综上，我认为自己已经具备{level_cn}所要求的工程能力。今后我将继续在{field_name}领域不断学习和实践。",
    "本人承诺以上内容真实、准确，相关证明材料已随申请表一并提交，愿意接受学会和考官的核查。",
)


# --------------------------------------------------------------------------- statement assembly


def _fill_params(rng: random.Random, spec: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, options in spec.items():
        choice = rng.choice(options)
        if isinstance(choice, dict):
            values.update(choice)
        else:
            values[key] = choice
    if "city2" in values:
        while values["city2"] == values.get("city"):
            values["city2"] = rng.choice(_CITIES)
    return values


def _pick(rng: random.Random, options: Sequence[str], k: int) -> str:
    return "、".join(rng.sample(options, k))


@dataclass
class _Section:
    heading: str
    core: list[str]
    extras: list[str]


def _general_values(
    rng: random.Random, level: str, vocab: Mapping[str, tuple[str, ...]], titles: list[str]
) -> dict[str, Any]:
    mentees = rng.randint(3, 9)
    n_mid = {"apprentice": (6, 18), "professional": (12, 40), "senior": (20, 60)}[level]
    docs = {"apprentice": (8, 20), "professional": (20, 60), "senior": (50, 120)}[level]
    papers = {"apprentice": (1, 3), "professional": (3, 9), "senior": (12, 36)}[level]
    patents = {"apprentice": (1, 2), "professional": (2, 6), "senior": (6, 20)}[level]
    return {
        "p_any": rng.choice(titles),
        "d_small": rng.randint(3, 12),
        "d_mid": rng.randint(15, 45),
        "n_small": rng.randint(2, 6),
        "n_mid": rng.randint(*n_mid),
        "pct": rng.randint(8, 30),
        "pct_high": rng.choice((92, 95, 96, 98)),
        "hours_year": rng.randint(56, 96),
        "papers": rng.randint(*papers),
        "patents": rng.randint(*patents),
        "team": rng.randint(8, 40),
        "team_small": rng.randint(4, 9),
        "team_big": rng.randint(35, 160),
        "docs": rng.randint(*docs),
        "mentees": mentees,
        "mentees_ok": rng.randint(1, mentees - 1),
        "save_wan": rng.randint(80, 900),
        "budget_big": rng.choice(("1.6", "3.2", "5.8", "8.6", "12.4")),
        "disciplines": rng.choice(vocab["disciplines"]),
        "partner": rng.choice(vocab["partners"]),
        "topics": _pick(rng, vocab["topics"], 2),
        "trend": rng.choice(vocab["trends"]),
        "self_learn": rng.choice(vocab["self_learn"]),
        "conf": rng.choice(vocab["confs"]),
        "rd": rng.choice(vocab["rd"]),
        "field_name": vocab["name"][0],
        "level_cn": _LEVEL_CN[level],
    }


def _build_statement(rng: random.Random, person: DemoPerson, field_code: str, level: str) -> str:
    vocab = _FIELD[field_code]
    age = _REFERENCE_YEAR - person.birth_year
    low, high = _WORK_YEARS[level]
    degrees = [d for d, offset in _DEGREES.items() if low <= age - offset <= high]
    if level == "apprentice" and "博士" in degrees:
        degrees.remove("博士")
    degree = rng.choice(degrees)
    grad_year = person.birth_year + _DEGREES[degree]
    work_years = _REFERENCE_YEAR - grad_year

    n_projects = 2 if level == "apprentice" or rng.random() < 0.4 else 3
    templates = rng.sample(_PROJECTS[field_code], n_projects)
    starts = [rng.randint(max(grad_year, t.since), _REFERENCE_YEAR - 1) for t in templates]
    order = sorted(range(n_projects), key=lambda i: starts[i])
    templates, starts = [templates[i] for i in order], [starts[i] for i in order]
    role_title = rng.choice(_ROLES[level])

    blocks: list[str] = []
    titles: list[str] = []
    duties: list[str] = []
    for number, (template, start) in enumerate(zip(templates, starts), start=1):
        params = _fill_params(rng, template.params)
        title = template.title.format(**params)
        end = min(_REFERENCE_YEAR, start + rng.randint(1, 3))
        role = rng.choice(_ROLE_SENTENCES).format(role=role_title, duty=template.duty)
        tasks = [t.format(**params) for t in template.tasks]
        rng.shuffle(tasks)
        body = template.scale.format(**params) + role + "".join(tasks) + template.result.format(**params)
        blocks.append(f"（{number}）{title}（{start}—{end}年）\n{body}")
        titles.append(title)
        duties.append(template.duty.removeprefix("负责"))

    fixed = {
        "p1": titles[0],
        "p2": titles[1],
        "duty_short": duties[0],
        "role": role_title,
        "cert": rng.choice(vocab["certs"]),
    }

    def values() -> dict[str, Any]:
        return _general_values(rng, level, vocab, titles) | fixed

    intro = rng.choice(_INTROS).format(
        name=person.name,
        grad_year=grad_year,
        university=rng.choice(vocab["universities"]),
        major=rng.choice(vocab["majors"]),
        degree=degree,
        degree_word=_DEGREE_WORD[degree],
        employer=person.employer,
        title=rng.choice(_TITLES[level]),
        work=rng.choice(vocab["work"]),
        work_years=work_years,
        n_projects=n_projects,
    )
    opener = rng.choice(_KNOWLEDGE_OPENERS).format(
        knowledge=_pick(rng, vocab["knowledge"], 3),
        standards=_pick(rng, vocab["standards"], 2),
        tools=_pick(rng, vocab["tools"], 2),
        work_years=work_years,
        n_projects=n_projects,
    )

    def shuffled(pool: Sequence[str]) -> list[str]:
        items = [s.format(**values()) for s in pool]
        rng.shuffle(items)
        return items

    ethics = shuffled(vocab["ethics"]) + shuffled(_ETHICS_GENERIC)
    team = shuffled([t for t in _TEAM if level != "apprentice" or "{mentees}" not in t])
    learning = shuffled(_LEARNING_BY_LEVEL[level]) + shuffled(_LEARNING)
    leading = shuffled(_LEADERSHIP[level])
    sections = [
        _Section(AREA_HEADINGS[0], [opener, *blocks], shuffled(_KNOWLEDGE_EXTRAS)),
        _Section(AREA_HEADINGS[1], ethics[:2], ethics[2:]),
        _Section(AREA_HEADINGS[2], team[:3], team[3:]),
        _Section(AREA_HEADINGS[3], learning[:3], learning[3:]),
        _Section(AREA_HEADINGS[4], leading[:3], leading[3:]),
    ]
    closing = rng.choice(_CLOSINGS).format(**values())

    def render() -> str:
        parts = [intro]
        for number, section in enumerate(sections):
            body = "\n".join(section.core[1:]) if number == 0 else "".join(section.core)
            lead = section.core[0] + "\n" if number == 0 else ""
            parts.append(f"{_NUMERALS[number]}、{section.heading}\n{lead}{body}")
        parts.append(closing)
        return "\n\n".join(parts)

    target = rng.randint(2400, 3700)
    text = render()
    while len(text) < target:
        candidates = [s for s in sections if s.extras]
        if not candidates:
            break
        section = rng.choice(candidates)
        sentence = section.extras.pop(0)
        if len(text) + len(sentence) > STATEMENT_MAX_CHARS - 50:
            continue
        section.core.append(sentence)
        text = render()
    while len(text) > STATEMENT_MAX_CHARS:
        longest = max(sections[1:], key=lambda s: len(s.core))
        longest.core.pop()
        text = render()
    if not STATEMENT_MIN_CHARS <= len(text) <= STATEMENT_MAX_CHARS:
        raise RuntimeError(f"statement length {len(text)} outside the allowed range")
    return text


# --------------------------------------------------------------------------- public API


def _factory(seed: int) -> tuple[_PersonFactory, random.Random]:
    rng = random.Random(f"capeval-demo:{seed}:people")
    return _PersonFactory(rng), rng


def _make_workgroup(factory: _PersonFactory, rng: random.Random) -> list[DemoPerson]:
    societies = rng.sample(_SOCIETIES, _WORKGROUP_SIZE)
    return [
        factory.make(
            birth_year=rng.randint(1978, 1996),
            gender=rng.choice(("male", "female")),
            employer=society,
            language="zh-CN",
        )
        for society in societies
    ]


def _make_examiners(factory: _PersonFactory, rng: random.Random) -> list[DemoPerson]:
    employers = [e for field in FIELD_CODES for e in rng.sample(_EXAMINER_EMPLOYERS[field], 2)]
    english = rng.randrange(_EXAMINER_COUNT)
    return [
        factory.make(
            birth_year=rng.randint(1960, 1976),
            gender="female" if rng.random() < 0.3 else "male",
            employer=employer,
            language="en" if index == english else "zh-CN",
        )
        for index, employer in enumerate(employers)
    ]


def demo_workgroup(seed: int = 7) -> list[DemoPerson]:
    """Return the three society workgroup staff members for ``seed``."""
    factory, rng = _factory(seed)
    return _make_workgroup(factory, rng)


def demo_examiners(seed: int = 7) -> list[DemoPerson]:
    """Return eight examiners (senior engineers and professors, two per field) for ``seed``."""
    factory, rng = _factory(seed)
    _make_workgroup(factory, rng)
    return _make_examiners(factory, rng)


def demo_applicants(count: int = 20, seed: int = 7) -> list[DemoApplicant]:
    """Return ``count`` applicants with full self-statements for ``seed``.

    Fields rotate through electrical, mechanical, civil and ICT; most applicants are at the
    professional level, with apprentice and senior applicants mixed in. Names and ID numbers
    are distinct from each other and from the workgroup and examiners of the same seed.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    factory, rng = _factory(seed)
    _make_workgroup(factory, rng)
    _make_examiners(factory, rng)
    plan_rng = random.Random(f"capeval-demo:{seed}:plan:{count}")
    fields = [FIELD_CODES[i % len(FIELD_CODES)] for i in range(count)]
    level_cycle = ("professional", "apprentice", "senior", "professional", "professional")
    levels = [level_cycle[i % len(level_cycle)] for i in range(count)]
    plan_rng.shuffle(fields)
    plan_rng.shuffle(levels)
    english = set(plan_rng.sample(range(count), count // 8))

    applicants: list[DemoApplicant] = []
    for index, (field_code, level) in enumerate(zip(fields, levels)):
        person = factory.make(
            birth_year=rng.randint(*_BIRTH_YEARS[level]),
            gender="female" if rng.random() < 0.35 else "male",
            employer=rng.choice(_APPLICANT_EMPLOYERS[field_code]),
            language="en" if index in english else "zh-CN",
        )
        statement_rng = random.Random(f"capeval-demo:{seed}:statement:{person.id_number}")
        statement = _build_statement(statement_rng, person, field_code, level)
        applicants.append(DemoApplicant(person, field_code, level, statement))
    return applicants


def short_statement(applicant: DemoApplicant) -> str:
    """Return a deliberately too-short first draft (about 600-900 characters) of the statement.

    The draft reuses the opening and the first sentences of each competence area of the
    applicant's full statement, so it is recognisably the same person's text.
    """
    rng = random.Random(f"capeval-demo:short:{applicant.person.id_number}")
    paragraphs = applicant.self_statement.split("\n\n")
    intro, sections = paragraphs[0], paragraphs[1 : 1 + len(AREA_HEADINGS)]
    pools: list[tuple[str, list[str]]] = []
    for section in sections:
        heading, _, body = section.partition("\n")
        sentences = [s + "。" for s in body.replace("\n", "").split("。") if s.strip()]
        pools.append((heading, sentences))
    chosen: list[list[str]] = [[] for _ in pools]
    target = rng.randint(680, 820)

    def render() -> str:
        parts = [intro] + [f"{heading}\n{''.join(picked)}" for (heading, _), picked in zip(pools, chosen)]
        return "\n\n".join(parts)

    progress = True
    while len(render()) < target and progress:
        progress = False
        for (_, sentences), picked in zip(pools, chosen):
            if len(picked) < len(sentences):
                candidate = sentences[len(picked)]
                if len(render()) + len(candidate) <= 900:
                    picked.append(candidate)
                    progress = True
            if len(render()) >= target:
                break
    return render()
