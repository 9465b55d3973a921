"""Print the languages section of taxonomy.yaml from CLDR (via Babel, build time only)."""

from babel import Locale, UnknownLocaleError

CODES = """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
SYN = {
    "zh": ["chinese", "mandarin", "cantonese", "putonghua"],
    "fa": ["farsi", "persian", "dari"],
    "tl": ["filipino", "tagalog"],
    "ht": ["haitian creole", "creole", "kreyol", "haitian"],
    "pa": ["panjabi"],
    "es": ["castellano", "espanol"],
    "vi": ["tieng viet"],
    "pt": ["portugues", "brazilian portuguese"],
    "ar": ["arabe"],
    "ne": ["nepalese"],
    "km": ["cambodian", "khmer"],
    "lo": ["laotian"],
    "my": ["burmese"],
    "ms": ["malay"],
    "sw": ["kiswahili"],
    "he": ["hebrew"],
    "yi": ["yiddish"],
    "ru": ["russkiy"],
    "uk": ["ukrainian"],
    "ko": ["hangul"],
    "ja": ["nihongo"],
    "hi": ["hindustani"],
    "ur": ["urdu"],
    "so": ["somali"],
    "am": ["amharic"],
    "ti": ["tigrinya"],
    "nv": ["navajo", "dine"],
    "sm": ["samoan"],
    "to": ["tongan"],
    "fr": ["francais"],
    "de": ["deutsch"],
}
en = Locale("en")
print("languages:  # every ISO 639-1 code; names from CLDR. Hmong (hmn) has no 639-1 code.")
for code in CODES:
    name = en.languages.get(code, code)
    try:
        native = Locale.parse(code).get_display_name(code) or name
    except (UnknownLocaleError, ValueError):
        native = name
    native = native.split(" (")[0]
    syn = [s for s in SYN.get(code, []) if s != name.lower() and s != native.lower()]

    def q(s):
        return '"' + s.replace('"', '\\"') + '"'

    extra = f", synonyms: [{', '.join(syn)}]" if syn else ""
    print(f"  '{code}': {{name: {q(name)}, native: {q(native)}{extra}}}")
