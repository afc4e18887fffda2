"""Hanyu Pinyin (without tones) of every Chinese character the demo uses in names.

Sources that cannot store Chinese characters, or agents typing a name heard on the phone, write
Chinese names in pinyin: 王秀英 becomes "Wang Xiuying". The table covers exactly the surnames and
given-name characters in :mod:`cxloop.demo.names`; a test checks that nothing is missing.
"""

from __future__ import annotations

PINYIN: dict[str, str] = {
    # surnames
    "王": "wang", "李": "li", "张": "zhang", "刘": "liu", "陈": "chen", "杨": "yang",
    "黄": "huang", "吴": "wu", "赵": "zhao", "周": "zhou", "徐": "xu", "孙": "sun",
    "马": "ma", "朱": "zhu", "胡": "hu", "林": "lin", "郭": "guo", "何": "he",
    "高": "gao", "罗": "luo", "郑": "zheng", "梁": "liang", "谢": "xie", "宋": "song",
    "唐": "tang", "许": "xu", "邓": "deng", "冯": "feng", "韩": "han", "曹": "cao",
    "曾": "zeng", "彭": "peng", "萧": "xiao", "蔡": "cai", "潘": "pan", "田": "tian",
    "董": "dong", "袁": "yuan", "于": "yu", "余": "yu", "叶": "ye", "蒋": "jiang",
    "杜": "du", "苏": "su", "魏": "wei", "程": "cheng", "吕": "lyu", "丁": "ding",
    "沈": "shen", "任": "ren", "姚": "yao", "卢": "lu", "傅": "fu", "钟": "zhong",
    "姜": "jiang", "崔": "cui", "谭": "tan", "廖": "liao", "范": "fan", "汪": "wang",
    "陆": "lu", "金": "jin", "石": "shi", "戴": "dai", "贾": "jia", "韦": "wei",
    "夏": "xia", "邱": "qiu", "方": "fang", "侯": "hou", "邹": "zou", "熊": "xiong",
    "孟": "meng", "秦": "qin", "白": "bai", "江": "jiang", "阎": "yan", "薛": "xue",
    "尹": "yin", "段": "duan", "雷": "lei", "黎": "li", "史": "shi", "龙": "long",
    "陶": "tao", "贺": "he", "顾": "gu", "毛": "mao", "郝": "hao", "龚": "gong",
    "邵": "shao", "万": "wan", "钱": "qian", "严": "yan", "赖": "lai", "覃": "qin",
    "洪": "hong", "武": "wu", "莫": "mo", "孔": "kong", "汤": "tang", "向": "xiang",
    "常": "chang", "温": "wen", "康": "kang", "施": "shi", "文": "wen", "牛": "niu",
    "樊": "fan", "葛": "ge", "邢": "xing", "安": "an", "齐": "qi", "易": "yi",
    "乔": "qiao", "伍": "wu", "庞": "pang", "颜": "yan", "倪": "ni", "庄": "zhuang",
    # given-name characters
    "伟": "wei", "强": "qiang", "磊": "lei", "洋": "yang", "勇": "yong", "军": "jun",
    "杰": "jie", "涛": "tao", "超": "chao", "明": "ming", "刚": "gang", "平": "ping",
    "辉": "hui", "鹏": "peng", "华": "hua", "飞": "fei", "鑫": "xin", "波": "bo",
    "斌": "bin", "宇": "yu", "浩": "hao", "凯": "kai", "健": "jian", "俊": "jun",
    "帆": "fan", "帅": "shuai", "旭": "xu", "宁": "ning", "欢": "huan", "佳": "jia",
    "阳": "yang", "建": "jian", "国": "guo", "亮": "liang", "成": "cheng", "峰": "feng",
    "晨": "chen", "瑞": "rui", "志": "zhi", "兵": "bing", "东": "dong", "博": "bo",
    "彬": "bin", "坤": "kun", "想": "xiang", "岩": "yan", "利": "li", "楠": "nan",
    "红": "hong", "霞": "xia", "芳": "fang", "娜": "na", "敏": "min", "静": "jing",
    "秀": "xiu", "英": "ying", "丽": "li", "艳": "yan", "娟": "juan", "兰": "lan",
    "燕": "yan", "玲": "ling", "桂": "gui", "丹": "dan", "萍": "ping", "玉": "yu",
    "梅": "mei", "莉": "li", "珍": "zhen", "婷": "ting", "凤": "feng", "晶": "jing",
    "颖": "ying", "雪": "xue", "慧": "hui", "倩": "qian", "琴": "qin", "畅": "chang",
    "云": "yun", "洁": "jie", "柳": "liu", "淑": "shu", "春": "chun", "海": "hai",
    "冬": "dong", "荣": "rong", "莹": "ying", "琳": "lin", "欣": "xin", "香": "xiang",
    "芝": "zhi", "小": "xiao", "瑜": "yu", "花": "hua", "璐": "lu", "子": "zi",
    "轩": "xuan", "梓": "zi", "涵": "han", "然": "ran", "怡": "yi", "雨": "yu",
    "一": "yi", "诺": "nuo", "思": "si", "源": "yuan", "航": "hang", "嘉": "jia",
    "晓": "xiao", "天": "tian", "琪": "qi", "睿": "rui", "铭": "ming", "泽": "ze",
    "宸": "chen", "昊": "hao", "萱": "xuan", "彤": "tong", "妍": "yan", "悦": "yue",
    "可": "ke", "馨": "xin", "炜": "wei", "君": "jun", "家": "jia", "俐": "li",
    "桦": "hua", "豪": "hao", "婉": "wan", "清": "qing", "德": "de", "永": "yong",
}  # fmt: skip

HOMOPHONES: dict[str, tuple[str, ...]] = {
    "丽": ("莉", "俐"), "莉": ("丽",), "静": ("晶",), "晶": ("静",), "燕": ("艳",),
    "艳": ("燕",), "杰": ("洁",), "洁": ("杰",), "斌": ("彬",), "彬": ("斌",),
    "宇": ("玉", "雨", "瑜"), "玉": ("宇",), "雨": ("宇",), "健": ("建",), "建": ("健",),
    "俊": ("军", "君"), "军": ("俊", "君"), "欣": ("鑫", "馨"), "鑫": ("欣",),
    "伟": ("炜",), "英": ("颖", "莹"), "颖": ("英",), "佳": ("嘉", "家"), "嘉": ("佳",),
    "华": ("桦",), "轩": ("萱",), "萱": ("轩",), "明": ("铭",), "铭": ("明",),
    "琳": ("林",), "芳": ("方",), "浩": ("昊",), "昊": ("浩",),
}  # fmt: skip
"""Characters an input method offers for the same syllable: the typos of Chinese names."""


def to_pinyin(text: str) -> str:
    """Pinyin of a Chinese name part, capitalised once: ``to_pinyin("秀英") == "Xiuying"``.

    Characters without an entry are kept as they are.
    """
    syllables = "".join(PINYIN.get(ch, ch) for ch in text)
    return syllables[:1].upper() + syllables[1:]


def initials(text: str) -> str:
    """First letters of each character's pinyin: ``initials("王秀英") == "wxy"``."""
    return "".join(PINYIN.get(ch, ch)[:1] for ch in text)
