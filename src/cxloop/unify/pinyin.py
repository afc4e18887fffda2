"""Hanyu Pinyin, without tones, of the Chinese characters common in personal names and cities.

Systems that cannot store Chinese characters, and agents typing a name they heard, write
王秀英 as "Wang Xiuying" (or "Xiuying Wang"). Transliterating the characters lets the two forms
meet. The table covers the common surnames (including the compound ones), frequent given-name
characters and the characters of large cities; a character it lacks is kept as it is, so such a
name still matches itself. Polyphonic characters take their reading in names (单 shan, 解 xie,
曾 zeng, 区 ou, 朴 piao, 查 zha, 重 chong as in 重庆).
"""

from __future__ import annotations

import re

# syllable → the characters read that way (each character appears under one syllable only)
_BY_SYLLABLE: dict[str, str] = {
    "a": "阿", "ai": "艾爱蔼", "an": "安", "ang": "昂", "ao": "敖奥傲",
    "ba": "巴八霸", "bai": "白柏百佰", "ban": "班", "bang": "邦", "bao": "包鲍宝保葆豹",
    "bei": "贝北蓓倍", "ben": "本贲", "bi": "毕碧璧必闭", "bian": "边卞", "biao": "彪",
    "bin": "彬斌滨宾", "bing": "冰兵炳秉丙", "bo": "博波伯勃薄", "bu": "卜步",
    "cai": "蔡才彩财采", "can": "灿", "cang": "苍", "cao": "曹草", "cen": "岑", "chai": "柴",
    "chang": "常昌长畅唱嫦", "chao": "超朝巢潮晁", "che": "车", "chen": "陈晨辰臣宸琛谌",
    "cheng": "程成诚城承橙澄丞", "chi": "池迟驰", "chong": "崇冲重", "chu": "楚褚初储",
    "chuan": "川传", "chun": "春纯淳", "ci": "慈", "cong": "聪丛", "cui": "崔翠", "cun": "村",
    "da": "达大", "dai": "戴代黛岱", "dan": "丹旦但", "dang": "党", "dao": "道岛",
    "de": "德", "deng": "邓登", "di": "狄迪娣笛地邸", "dian": "典电",
    "diao": "刁", "ding": "丁鼎定", "dong": "董东冬栋", "dou": "窦豆", "du": "杜都督",
    "duan": "段端", "dun": "敦", "duo": "朵",
    "e": "鄂娥", "en": "恩", "er": "尔",
    "fa": "发法", "fan": "范樊凡帆繁", "fang": "方房芳放舫", "fei": "费飞菲斐肥", "fen": "芬",
    "feng": "冯风凤峰丰锋枫封奉", "fo": "佛", "fu": "傅付符富福伏扶甫芙馥辅",
    "gai": "盖", "gan": "甘干", "gang": "刚钢港", "gao": "高郜", "ge": "葛戈格歌阁",
    "geng": "耿庚", "gong": "龚宫弓公功恭巩", "gou": "苟勾", "gu": "顾古谷固辜",
    "guan": "关管冠莞官", "guang": "光广", "gui": "桂贵归瑰", "guo": "郭国果",
    "ha": "哈", "hai": "海", "han": "韩寒汉涵晗翰含", "hang": "杭航", "hao": "郝浩昊豪皓好",
    "he": "何贺赫和荷河鹤合", "hei": "黑", "heng": "衡恒亨", "hong": "洪红宏鸿虹弘泓",
    "hou": "侯厚", "hu": "胡扈虎湖呼", "hua": "华花桦骅画", "huai": "怀", "huan": "欢环桓焕",
    "huang": "黄皇凰煌", "hui": "惠慧辉晖卉蕙会", "huo": "霍火",
    "ji": "纪吉姬季冀嵇基继佶骥济积集计", "jia": "贾佳嘉家甲加", "jian": "简建健剑坚俭鉴",
    "jiang": "江姜蒋疆将", "jiao": "焦娇蛟", "jie": "杰洁捷婕揭", "jin": "金晋靳锦瑾津进今",
    "jing": "景静晶京敬婧靖井荆菁璟", "jiu": "久玖", "ju": "居菊鞠", "juan": "娟鹃",
    "jue": "珏", "jun": "军君俊骏峻钧",
    "kai": "凯开楷", "kan": "阚", "kang": "康亢", "ke": "柯可克科珂", "kong": "孔", "kou": "寇",
    "kuang": "匡况邝", "kun": "坤昆琨",
    "lai": "赖来莱", "lan": "兰蓝岚澜", "lang": "郎朗浪", "lao": "劳", "le": "乐",
    "lei": "雷磊蕾", "leng": "冷", "li": "李黎厉利丽莉立力理礼励栗俐璃", "lian": "连廉莲怜练",
    "liang": "梁良亮凉", "liao": "廖", "lin": "林琳霖麟淋临蔺", "ling": "凌玲令灵铃龄岭伶",
    "liu": "刘柳留流", "long": "龙隆珑", "lou": "楼娄", "lu": "卢陆鲁路露芦璐禄鹿逯",
    "luan": "栾", "lun": "伦", "luo": "罗骆洛", "lyu": "吕律绿",
    "ma": "马麻", "mai": "麦", "man": "满曼", "mao": "毛茂茅", "mei": "梅美玫媚", "men": "门",
    "meng": "孟蒙萌梦", "mi": "米宓", "miao": "苗妙淼缪", "min": "闵敏民珉", "ming": "明铭鸣",
    "mo": "莫墨默", "mou": "牟", "mu": "穆慕牧木沐母",
    "na": "娜那纳", "nan": "南楠男", "neng": "能", "ni": "倪妮霓", "nie": "聂", "nian": "年念",
    "ning": "宁凝", "niu": "牛", "nong": "农", "nuo": "诺",
    "ou": "欧区鸥",
    "pan": "潘盼攀盘", "pang": "庞", "pei": "裴培佩沛", "peng": "彭鹏蓬", "pi": "皮",
    "piao": "朴", "pin": "品", "ping": "平萍屏", "pu": "蒲浦普",
    "qi": "齐戚祁琪奇棋启琦绮淇骐岐其亓漆", "qian": "钱千倩乾谦茜", "qiang": "强蔷",
    "qiao": "乔桥巧", "qin": "秦覃琴勤钦沁", "qing": "青清庆晴卿擎", "qiong": "琼",
    "qiu": "邱秋丘裘仇", "qu": "曲瞿屈", "quan": "全权泉", "que": "阙",
    "ran": "冉然", "rao": "饶", "ren": "任仁", "rong": "荣容蓉融戎", "ru": "茹如汝儒",
    "ruan": "阮", "rui": "瑞睿芮蕊锐", "run": "润", "ruo": "若",
    "sang": "桑", "sen": "森", "sha": "沙", "shan": "单山珊善杉姗", "shang": "尚商上",
    "shao": "邵韶少", "she": "佘", "shen": "沈申深慎莘", "sheng": "盛生胜圣晟",
    "shi": "石史施时师诗实世仕市", "shou": "寿", "shu": "舒淑书树蜀束", "shuai": "帅",
    "shuang": "双爽霜", "shui": "水", "shun": "顺舜", "si": "司思斯丝", "song": "宋松嵩颂",
    "su": "苏素肃宿粟", "sui": "隋", "sun": "孙", "suo": "索",
    "tai": "台泰太邰", "tan": "谭谈檀坦", "tang": "唐汤棠堂", "tao": "陶涛桃韬", "teng": "滕腾",
    "tian": "田天恬甜", "ting": "婷亭庭霆", "tong": "童佟彤通桐仝", "tu": "涂屠",
    "wan": "万宛婉晚琬", "wang": "王汪旺望", "wei": "魏韦卫伟炜威微薇维蔚巍尉为位危",
    "wen": "温文闻雯", "weng": "翁", "wu": "吴武伍邬巫吾午无乌",
    "xi": "席奚西希曦熙溪喜锡", "xia": "夏霞侠厦", "xian": "冼贤仙先娴弦显鲜",
    "xiang": "向项香湘翔祥相想", "xiao": "萧肖晓小笑孝潇", "xie": "谢解谐",
    "xin": "辛欣新心鑫馨昕信", "xing": "邢星兴幸杏醒", "xiong": "熊雄", "xiu": "秀修",
    "xu": "徐许胥旭续序须栩煦", "xuan": "宣轩萱璇玄", "xue": "薛雪学", "xun": "荀寻勋迅",
    "ya": "雅亚娅", "yan": "严颜阎闫燕艳妍言岩彦延晏研焱炎嫣鄢", "yang": "杨阳羊洋扬仰",
    "yao": "姚瑶耀尧遥垚", "ye": "叶业烨冶", "yi": "易伊怡一依艺仪毅宜义益逸翊颐翼以衣",
    "yin": "尹殷银音吟茵印阴", "ying": "英颖莹应鹰盈瑛迎", "yong": "永勇雍咏涌",
    "you": "尤游友佑优有由", "yu": "于余俞虞鱼禹宇玉雨瑜语钰昱煜郁裕愉羽育喻",
    "yuan": "袁元苑源远媛圆园渊原", "yue": "岳月悦越跃玥", "yun": "云芸运韵允昀",
    "zan": "昝", "zang": "臧", "ze": "泽择则", "zeng": "曾", "zha": "查", "zhai": "翟",
    "zhan": "詹展湛占战", "zhang": "张章彰漳", "zhao": "赵昭钊", "zhe": "哲",
    "zhen": "甄珍真振贞震臻圳", "zheng": "郑正政征峥铮", "zhi": "志智芝之植致芷支",
    "zhong": "钟仲中忠众",
    "zhou": "周舟洲州宙", "zhu": "朱祝诸竹珠柱", "zhuang": "庄壮", "zhuo": "卓",
    "zi": "子紫梓姿", "zong": "宗", "zou": "邹", "zu": "祖", "zuo": "左",
}  # fmt: skip

#: two-character family names, read as one word ("Ouyang")
COMPOUND_SURNAMES: dict[str, str] = {
    "欧阳": "ouyang", "司马": "sima", "诸葛": "zhuge", "上官": "shangguan", "东方": "dongfang",
    "皇甫": "huangfu", "慕容": "murong", "令狐": "linghu", "夏侯": "xiahou", "尉迟": "yuchi",
    "公孙": "gongsun", "长孙": "zhangsun", "宇文": "yuwen", "司徒": "situ", "端木": "duanmu",
    "独孤": "dugu", "南宫": "nangong", "西门": "ximen", "百里": "baili", "呼延": "huyan",
}  # fmt: skip


def _invert(table: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for syllable, characters in table.items():
        for ch in characters:
            if ch in out:
                raise ValueError(f"{ch} is listed under {out[ch]!r} and {syllable!r}")
            out[ch] = syllable
    return out


PINYIN: dict[str, str] = _invert(_BY_SYLLABLE)
"""Character → toneless pinyin syllable."""


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a CJK unified ideograph (the characters Chinese names are written in)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


#: the characters :func:`is_han` accepts, for searching whole strings at C speed
_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf]")


def has_han(text: str) -> bool:
    """Whether ``text`` holds any character :func:`is_han` accepts."""
    return _HAN.search(text) is not None


def to_pinyin(text: str) -> str:
    """The toneless pinyin of ``text``, syllables run together, lower case.

    Characters that are not in the table (and anything that is not a Chinese character) are
    kept as they are.

    Examples
    --------
    >>> to_pinyin("王秀英")
    'wangxiuying'
    >>> to_pinyin("欧阳娜娜")
    'ouyangnana'
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in COMPOUND_SURNAMES:
            out.append(COMPOUND_SURNAMES[pair])
            i += 2
            continue
        ch = text[i]
        out.append(PINYIN.get(ch, ch))
        i += 1
    return "".join(out)


def split_han_name(text: str) -> tuple[str, str]:
    """A Chinese full name written family name first, as (given, family).

    Examples
    --------
    >>> split_han_name("王秀英")
    ('秀英', '王')
    >>> split_han_name("司马光")
    ('光', '司马')
    """
    text = "".join(text.split())
    if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES:
        return text[2:], text[:2]
    if len(text) >= 2:
        return text[1:], text[:1]
    return text, ""
