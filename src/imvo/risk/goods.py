"""The goods of the ILAB list (`data/goods.csv`) as a person reads them.

The scan keeps a good as its key, the first phrase of its ILAB name ("cocoa",
"brazil nut", "palm" for "Oil (palm)"), and the ILAB list names it in English;
pages showed either as stored ("cocoa" on a Dutch page). `good_label` gives
the name in the reader's language: every name of the shipped list is
translated by hand (context "ILAB good", so "Locks" or "Matches" do not share
another text's translation). A name a later edition adds is shown as written
until it is added here. The stored key and name stay as they are: matching a
supplier's product against the lists uses them, not the label.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

ILAB_GOOD_LABELS: dict[str, Promise] = {
    "Alcoholic Beverages": pgettext_lazy("ILAB good", "Alcoholic Beverages"),
    "Artificial Flowers": pgettext_lazy("ILAB good", "Artificial Flowers"),
    "Baked Goods": pgettext_lazy("ILAB good", "Baked Goods"),
    "Bamboo": pgettext_lazy("ILAB good", "Bamboo"),
    "Bananas": pgettext_lazy("ILAB good", "Bananas"),
    "Beans (green beans)": pgettext_lazy("ILAB good", "Beans (green beans)"),
    "Beans (green, soy, yellow)": pgettext_lazy("ILAB good", "Beans (green, soy, yellow)"),
    "Beef": pgettext_lazy("ILAB good", "Beef"),
    "Bidis (hand-rolled cigarettes)": pgettext_lazy("ILAB good", "Bidis (hand-rolled cigarettes)"),
    "Blueberries": pgettext_lazy("ILAB good", "Blueberries"),
    "Brassware": pgettext_lazy("ILAB good", "Brassware"),
    "Brazil Nuts/Chestnuts": pgettext_lazy("ILAB good", "Brazil Nuts/Chestnuts"),
    "Bricks": pgettext_lazy("ILAB good", "Bricks"),
    "Bricks (clay)": pgettext_lazy("ILAB good", "Bricks (clay)"),
    "Broccoli": pgettext_lazy("ILAB good", "Broccoli"),
    "Carpets": pgettext_lazy("ILAB good", "Carpets"),
    "Cashews": pgettext_lazy("ILAB good", "Cashews"),
    "Cassiterite (tin ore)": pgettext_lazy("ILAB good", "Cassiterite (tin ore)"),
    "Cattle": pgettext_lazy("ILAB good", "Cattle"),
    "Cement": pgettext_lazy("ILAB good", "Cement"),
    "Ceramics": pgettext_lazy("ILAB good", "Ceramics"),
    "Charcoal": pgettext_lazy("ILAB good", "Charcoal"),
    "Chile Peppers": pgettext_lazy("ILAB good", "Chile Peppers"),
    "Christmas Decorations": pgettext_lazy("ILAB good", "Christmas Decorations"),
    "Citrus Fruits": pgettext_lazy("ILAB good", "Citrus Fruits"),
    "Cloves": pgettext_lazy("ILAB good", "Cloves"),
    "Coal": pgettext_lazy("ILAB good", "Coal"),
    "Coca (stimulant plant)": pgettext_lazy("ILAB good", "Coca (stimulant plant)"),
    "Cocoa": pgettext_lazy("ILAB good", "Cocoa"),
    "Coconuts": pgettext_lazy("ILAB good", "Coconuts"),
    "Coffee": pgettext_lazy("ILAB good", "Coffee"),
    "Coltan (tantalum ore)": pgettext_lazy("ILAB good", "Coltan (tantalum ore)"),
    "Copper": pgettext_lazy("ILAB good", "Copper"),
    "Corn": pgettext_lazy("ILAB good", "Corn"),
    "Cotton": pgettext_lazy("ILAB good", "Cotton"),
    "Cottonseed (hybrid)": pgettext_lazy("ILAB good", "Cottonseed (hybrid)"),
    "Cucumbers": pgettext_lazy("ILAB good", "Cucumbers"),
    "Cumin": pgettext_lazy("ILAB good", "Cumin"),
    "Diamonds": pgettext_lazy("ILAB good", "Diamonds"),
    "Dried Fish": pgettext_lazy("ILAB good", "Dried Fish"),
    "Eggplants": pgettext_lazy("ILAB good", "Eggplants"),
    "Electronics": pgettext_lazy("ILAB good", "Electronics"),
    "Embellished Textiles": pgettext_lazy("ILAB good", "Embellished Textiles"),
    "Emeralds": pgettext_lazy("ILAB good", "Emeralds"),
    "Fashion Accessories": pgettext_lazy("ILAB good", "Fashion Accessories"),
    "Fireworks": pgettext_lazy("ILAB good", "Fireworks"),
    "Fish": pgettext_lazy("ILAB good", "Fish"),
    "Flowers": pgettext_lazy("ILAB good", "Flowers"),
    "Flowers (poppies)": pgettext_lazy("ILAB good", "Flowers (poppies)"),
    "Fluorspar (mineral)": pgettext_lazy("ILAB good", "Fluorspar (mineral)"),
    "Footwear": pgettext_lazy("ILAB good", "Footwear"),
    "Footwear (sandals)": pgettext_lazy("ILAB good", "Footwear (sandals)"),
    "Furniture": pgettext_lazy("ILAB good", "Furniture"),
    "Furniture (steel)": pgettext_lazy("ILAB good", "Furniture (steel)"),
    "Garlic": pgettext_lazy("ILAB good", "Garlic"),
    "Garments": pgettext_lazy("ILAB good", "Garments"),
    "Gems": pgettext_lazy("ILAB good", "Gems"),
    "Glass": pgettext_lazy("ILAB good", "Glass"),
    "Glass Bangles": pgettext_lazy("ILAB good", "Glass Bangles"),
    "Goats": pgettext_lazy("ILAB good", "Goats"),
    "Gold": pgettext_lazy("ILAB good", "Gold"),
    "Granite": pgettext_lazy("ILAB good", "Granite"),
    "Granite (crushed)": pgettext_lazy("ILAB good", "Granite (crushed)"),
    "Grapes": pgettext_lazy("ILAB good", "Grapes"),
    "Gravel (crushed stones)": pgettext_lazy("ILAB good", "Gravel (crushed stones)"),
    "Gypsum (mineral)": pgettext_lazy("ILAB good", "Gypsum (mineral)"),
    "Hazelnuts": pgettext_lazy("ILAB good", "Hazelnuts"),
    "Heterogenite (cobalt ore)": pgettext_lazy("ILAB good", "Heterogenite (cobalt ore)"),
    "Hogs": pgettext_lazy("ILAB good", "Hogs"),
    "Incense (agarbatti)": pgettext_lazy("ILAB good", "Incense (agarbatti)"),
    "Iron": pgettext_lazy("ILAB good", "Iron"),
    "Jade": pgettext_lazy("ILAB good", "Jade"),
    "Leather": pgettext_lazy("ILAB good", "Leather"),
    "Leather Goods/Accessories": pgettext_lazy("ILAB good", "Leather Goods/Accessories"),
    "Lobsters": pgettext_lazy("ILAB good", "Lobsters"),
    "Locks": pgettext_lazy("ILAB good", "Locks"),
    "Manioc/Cassava": pgettext_lazy("ILAB good", "Manioc/Cassava"),
    "Matches": pgettext_lazy("ILAB good", "Matches"),
    "Meat": pgettext_lazy("ILAB good", "Meat"),
    "Melons": pgettext_lazy("ILAB good", "Melons"),
    "Miraa (stimulant plant)": pgettext_lazy("ILAB good", "Miraa (stimulant plant)"),
    "Nails": pgettext_lazy("ILAB good", "Nails"),
    "Nile Perch (fish)": pgettext_lazy("ILAB good", "Nile Perch (fish)"),
    "Oil (Palm)": pgettext_lazy("ILAB good", "Oil (Palm)"),
    "Oil (palm)": pgettext_lazy("ILAB good", "Oil (palm)"),
    "Olives": pgettext_lazy("ILAB good", "Olives"),
    "Onions": pgettext_lazy("ILAB good", "Onions"),
    "Palm Thatch": pgettext_lazy("ILAB good", "Palm Thatch"),
    "Peanuts": pgettext_lazy("ILAB good", "Peanuts"),
    "Pepper": pgettext_lazy("ILAB good", "Pepper"),
    "Physic Nuts/Castor Beans": pgettext_lazy("ILAB good", "Physic Nuts/Castor Beans"),
    "Pineapples": pgettext_lazy("ILAB good", "Pineapples"),
    "Pornography": pgettext_lazy("ILAB good", "Pornography"),
    "Potatoes": pgettext_lazy("ILAB good", "Potatoes"),
    "Poultry": pgettext_lazy("ILAB good", "Poultry"),
    "Pulses (legumes)": pgettext_lazy("ILAB good", "Pulses (legumes)"),
    "Pyrotechnics": pgettext_lazy("ILAB good", "Pyrotechnics"),
    "Rice": pgettext_lazy("ILAB good", "Rice"),
    "Rubber": pgettext_lazy("ILAB good", "Rubber"),
    "Rubies": pgettext_lazy("ILAB good", "Rubies"),
    "Salt": pgettext_lazy("ILAB good", "Salt"),
    "Sand": pgettext_lazy("ILAB good", "Sand"),
    "Sapphires": pgettext_lazy("ILAB good", "Sapphires"),
    "Sesame": pgettext_lazy("ILAB good", "Sesame"),
    "Shellfish": pgettext_lazy("ILAB good", "Shellfish"),
    "Shrimp": pgettext_lazy("ILAB good", "Shrimp"),
    "Silk Cocoons": pgettext_lazy("ILAB good", "Silk Cocoons"),
    "Silk Fabric": pgettext_lazy("ILAB good", "Silk Fabric"),
    "Silk Thread": pgettext_lazy("ILAB good", "Silk Thread"),
    "Silver": pgettext_lazy("ILAB good", "Silver"),
    "Sisal": pgettext_lazy("ILAB good", "Sisal"),
    "Soap": pgettext_lazy("ILAB good", "Soap"),
    "Soccer Balls": pgettext_lazy("ILAB good", "Soccer Balls"),
    "Stones": pgettext_lazy("ILAB good", "Stones"),
    "Stones (limestone)": pgettext_lazy("ILAB good", "Stones (limestone)"),
    "Stones (pumice)": pgettext_lazy("ILAB good", "Stones (pumice)"),
    "Strawberries": pgettext_lazy("ILAB good", "Strawberries"),
    "Sugar Beets": pgettext_lazy("ILAB good", "Sugar Beets"),
    "Sugarcane": pgettext_lazy("ILAB good", "Sugarcane"),
    "Sunflowers": pgettext_lazy("ILAB good", "Sunflowers"),
    "Surgical Instruments": pgettext_lazy("ILAB good", "Surgical Instruments"),
    "Tanzanite (gems)": pgettext_lazy("ILAB good", "Tanzanite (gems)"),
    "Tea": pgettext_lazy("ILAB good", "Tea"),
    "Teak": pgettext_lazy("ILAB good", "Teak"),
    "Textiles": pgettext_lazy("ILAB good", "Textiles"),
    "Textiles (hand-woven)": pgettext_lazy("ILAB good", "Textiles (hand-woven)"),
    "Textiles (jute)": pgettext_lazy("ILAB good", "Textiles (jute)"),
    "Thread/Yarn": pgettext_lazy("ILAB good", "Thread/Yarn"),
    "Tilapia (fish)": pgettext_lazy("ILAB good", "Tilapia (fish)"),
    "Timber": pgettext_lazy("ILAB good", "Timber"),
    "Tin": pgettext_lazy("ILAB good", "Tin"),
    "Tobacco": pgettext_lazy("ILAB good", "Tobacco"),
    "Tomatoes": pgettext_lazy("ILAB good", "Tomatoes"),
    "Toys": pgettext_lazy("ILAB good", "Toys"),
    "Trona (mineral)": pgettext_lazy("ILAB good", "Trona (mineral)"),
    "Vanilla": pgettext_lazy("ILAB good", "Vanilla"),
    "Wheat": pgettext_lazy("ILAB good", "Wheat"),
    "Wolframite (tungsten ore)": pgettext_lazy("ILAB good", "Wolframite (tungsten ore)"),
    "Yerba Mate (stimulant plant)": pgettext_lazy("ILAB good", "Yerba Mate (stimulant plant)"),
    "Zinc": pgettext_lazy("ILAB good", "Zinc"),
}


@lru_cache(maxsize=1)
def _name_of_key() -> dict[str, str]:
    """Each good key to its shortest ILAB name ("brick": "Bricks", not "Bricks (clay)")."""
    from imvo.risk.scan import good_phrases_of

    out: dict[str, str] = {}
    for name in sorted(ILAB_GOOD_LABELS, key=lambda n: (len(n), n)):
        phrases = good_phrases_of(name)
        if phrases:
            out.setdefault(" ".join(phrases[0]), name)
    return out


def good_label(good: str | None) -> str:
    """An ILAB good, given as its name ("Cocoa") or the scan's key ("cocoa"), in
    the reader's language; anything else as written."""
    if not good:
        return ""
    label = ILAB_GOOD_LABELS.get(good)
    if label is None:
        name = _name_of_key().get(good)
        label = ILAB_GOOD_LABELS[name] if name else None
    return str(label) if label is not None else good
