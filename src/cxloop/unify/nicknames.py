"""Short forms of English and Spanish given names, so that "Bob" can meet "Robert" and "Pepe"
can meet "José".

Keys and values are folded (lower case, no accents). A short form that belongs to several names
("Chris", "Alex") maps to the most frequent one; the comparison that uses this table is one level
among several, so a miss costs a little evidence, never a link.
"""

from __future__ import annotations

# full name → its short forms
_FORMS: dict[str, str] = {
    # English
    "abigail": "abby abbie gail", "alexander": "alex alec sasha xander alejandro",
    "alexandra": "lexi alexa", "alfred": "alf alfie", "alison": "ally allie",
    "amanda": "mandy manda", "andrew": "andy drew", "angela": "angie",
    "anthony": "tony ant", "barbara": "barb babs barbie", "benjamin": "ben benny benji",
    "catherine": "cathy cath cat", "charles": "charlie chuck chas", "christina": "tina chrissy",
    "christopher": "chris kit topher", "cynthia": "cindy", "daniel": "dan danny",
    "david": "dave davy davey", "deborah": "debbie deb debby", "donald": "don donny",
    "dorothy": "dot dottie", "edward": "ed eddie ted teddy ned", "elizabeth": "liz lizzie beth "
    "betty betsy eliza libby lisa", "eleanor": "ellie nell nora", "emily": "em emmy millie",
    "eugene": "gene", "frederick": "fred freddie", "gerald": "jerry gerry", "gregory": "greg",
    "henry": "harry hank hal", "isabel": "izzy isa bel", "jacob": "jake",
    "james": "jim jimmy jamie",
    "jennifer": "jen jenny jenn", "jessica": "jess jessie", "john": "jack johnny jon",
    "jonathan": "jonny", "joseph": "joe joey", "joshua": "josh", "katherine": "kate katie kathy "
    "kath kitty kat", "kenneth": "ken kenny", "kimberly": "kim", "lawrence": "larry",
    "leonard": "leo len lenny", "margaret": "maggie meg peggy marge madge greta",
    "matthew": "matt matty", "michael": "mike mikey mick mickey", "nathaniel": "nate nat",
    "nicholas": "nick nicky", "pamela": "pam", "patricia": "pat patty trish tricia",
    "patrick": "paddy", "peter": "pete", "philip": "phil", "raymond": "ray",
    "rebecca": "becky becca", "richard": "rick ricky rich dick", "robert": "bob bobby rob "
    "robbie bert", "ronald": "ron ronnie", "samantha": "sam sammy", "samuel": "sammie",
    "sandra": "sandi", "stephen": "steve stevie", "stephanie": "steph stephie",
    "susan": "sue susie suzy",
    "terence": "terry", "theodore": "theo", "thomas": "tom tommy", "timothy": "tim timmy",
    "victoria": "vicky vicki tori", "vincent": "vince vinny", "walter": "walt wally",
    "william": "bill billy will willie liam", "zachary": "zach zack",
    # Spanish
    "alberto": "beto", "alejandro": "ale jandro", "antonio": "tono toni", "concepcion":
    "concha conchita", "consuelo": "chelo", "dolores": "lola loli", "eduardo": "lalo edu",
    "enrique": "quique kike", "fernando": "fer nando", "francisco": "paco pancho curro fran",
    "francisca": "paquita", "gregorio": "goyo", "guadalupe": "lupe lupita", "guillermo": "memo",
    "ignacio": "nacho", "inmaculada": "inma", "jesus": "chucho chus chuy", "jose": "pepe",
    "jose maria": "chema", "josefa": "pepa", "juan jose": "juanjo", "manuel": "manolo manu",
    "mercedes": "merche", "montserrat": "montse", "pilar": "pili", "rafael": "rafa",
    "rosario": "charo", "santiago": "santi", "teresa": "tere", "maria teresa": "maite",
    "veronica": "vero", "gabriela": "gaby gabi",
}  # fmt: skip

_DIRECT = {short: full for full, shorts in _FORMS.items() for short in shorts.split()}
CANONICAL: dict[str, str] = {short: _DIRECT.get(full, full) for short, full in _DIRECT.items()}
"""Short form → the full name it stands for ("ale" → "alejandro" → "alexander")."""


def canonical_first_name(folded: str) -> str:
    """The full form of a folded given name (``"bob"`` → ``"robert"``), else the name itself.

    Examples
    --------
    >>> canonical_first_name("pepe"), canonical_first_name("maria")
    ('jose', 'maria')
    """
    return CANONICAL.get(folded, folded)


FULL_FORMS: frozenset[str] = frozenset(_FORMS)
"""The full names the table knows short forms of."""
