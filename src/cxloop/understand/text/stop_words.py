"""Words too common to name a theme, per language (for theme discovery).

English comes from scikit-learn's list; Spanish and Chinese are short hand-made lists of
function words, pronouns and the commonest verbs of customer comments. Latin-script words are
stored folded (lower case, no accents), as :func:`~cxloop.understand.text.segmentation.fold`
makes them.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_EN_EXTRA = """
im ive dont didnt doesnt cant wont isnt wasnt arent youre theyre thats its just really
didn doesn isn wasn aren don haven hasn couldn wouldn shouldn ve ll re
got get gets getting would could should also still even one two ok okay thanks thank please
like really very much lot lots will shall may might need want know think said say
did does doing done going gone goes went make made makes come came comes let lets mean means
guys yes yeah sure thing things way ve actually literally seriously hey hi hello
"""

_ES = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bien cada como
con contra cual cuando de del desde donde dos el ella ellas ello ellos en entre era eran es esa
esas ese eso esos esta estaba estaban estado estamos estan estar este esto estos estoy fue fueron
fui ha haber habia han has hasta hay he hemos hizo hoy la las le les lo los mas me mi mis mucho
muy nada ni no nos nosotros nuestra nuestro o os otra otro para pero poco por porque pues que
quien se sea ser si sido siempre sin sobre solo son soy su sus tambien tan tanto te tengo tiene
tienen todo todos tu tus un una uno unos usted ustedes va vez y ya yo gracias favor hace hacer
puede pueden quiero queria tenia tener ver voy estoy muy mas menos otro otros eso esto
"""

_ZH = """
的 了 是 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 这样 那样 就 都 也 还 在 和 与 及 或 被
把 给 对 从 向 让 很 太 非常 比较 有点 一个 一下 一些 没有 没 不 有 要 会 能 可以 可能 应该 什么
怎么 为什么 吗 呢 吧 啊 呀 哦 嗯 着 过 又 再 才 但是 但 可是 不过 因为 所以 如果 然后 而且 已经
自己 时候 现在 今天 还是 真的 感觉 觉得 一直 一次 东西 问题 希望 谢谢 请 一点 这次 上 下 里 中
"""

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(ENGLISH_STOP_WORDS) | frozenset(_EN_EXTRA.split()),
    "es": frozenset(_ES.split()),
    "zh": frozenset(_ZH.split()),
}


def stop_words(language: str) -> frozenset[str]:
    """The stop words of ``language`` (English and Spanish together for any other language)."""
    found = STOP_WORDS.get(language)
    if found is None:
        return STOP_WORDS["en"] | STOP_WORDS["es"]
    return found
