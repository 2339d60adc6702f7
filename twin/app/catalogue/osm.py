"""Words for OpenStreetMap's own values as the map's hovers show them: {key: (French, English)}.

``osm_use_*``: a building's use (:data:`twin.territory.assets.BUILDING_USE`'s classes);
``osm_highway_*``: a street's class (OSM ``highway=*``, singular: one street at a time);
``osm_bin_*``: a bin's kind (:data:`twin.territory.assets.BIN_KIND`); ``osm_source_*``: where a
lamp comes from. A value with no entry here is shown as OSM writes it (:func:`twin.app.mapview.osm_text`).
"""

STRINGS: dict[str, tuple[str, str]] = {
    "osm_use_residential": ("habitation", "residential"),
    "osm_use_commercial": ("commerce, bureaux", "commercial"),
    "osm_use_industrial": ("industrie, entrepôt", "industrial"),
    "osm_use_education": ("enseignement", "education"),
    "osm_use_public": ("bâtiment public", "public"),
    "osm_use_health": ("santé", "health"),
    "osm_use_transport": ("transport", "transport"),
    "osm_use_religious": ("culte", "religious"),
    "osm_use_sport": ("sport", "sport"),
    "osm_use_annex": ("annexe (garage, abri)", "annex (garage, shed)"),
    "osm_use_agricultural": ("agricole", "agricultural"),
    "osm_use_unknown": ("non précisé dans OSM", "not given in OSM"),
    "osm_highway_motorway": ("autoroute", "motorway"),
    "osm_highway_trunk": ("voie express", "trunk road"),
    "osm_highway_primary": ("route principale", "primary road"),
    "osm_highway_secondary": ("route secondaire", "secondary road"),
    "osm_highway_tertiary": ("route tertiaire", "tertiary road"),
    "osm_highway_residential": ("rue résidentielle", "residential street"),
    "osm_highway_unclassified": ("route non classée", "unclassified road"),
    "osm_highway_living_street": ("zone de rencontre", "living street"),
    "osm_highway_service": ("voie de desserte", "service road"),
    "osm_highway_pedestrian": ("rue piétonne", "pedestrian street"),
    "osm_highway_road": ("voie (catégorie inconnue)", "road (class unknown)"),
    "osm_highway_link": ("bretelle", "slip road"),  # motorway_link, primary_link, …
    "osm_bin_waste_basket": ("corbeille de rue", "litter bin"),
    "osm_bin_recycling": ("point de tri", "recycling point"),
    "osm_bin_waste_disposal": ("conteneur à ordures", "waste container"),
    "osm_source_generated": ("générée (synthétique)", "generated (synthetic)"),
    "osm_source_osm": ("OpenStreetMap", "OpenStreetMap"),
    "osm_source_inventory": ("inventaire importé", "imported inventory"),
    "osm_yes": ("oui", "yes"),
    "osm_no": ("non", "no"),
}
