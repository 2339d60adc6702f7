"""Strings of the page's orientation part: {key: (French, English)}.

``orient_*``: the town summary under the page title (:mod:`twin.app.summary`) and the flood-detours
result view (:mod:`twin.app.views.flood_detours`); ``err_*``: the scenario errors a user can cause
from the form, said in the page's language (:mod:`twin.app.i18n_errors`).
"""

STRINGS: dict[str, tuple[str, str]] = {
    # --- the town summary
    "orient_summary_label": ("La commune en bref", "The town at a glance"),
    "orient_inhabitants": ("Habitants :", "Inhabitants:"),
    "orient_unknown": ("inconnu (l'extrait OpenStreetMap ne le dit pas)",
                       "unknown (the OpenStreetMap extract does not say)"),
    "orient_streets": ("{named} rues nommées, {km} km de voies carrossables",
                       "{named} named streets, {km} km of drivable street"),
    "orient_buildings": ("bâtiments", "buildings"),
    "orient_lamps": ("lampadaires", "street lamps"),
    "orient_bins": ("corbeilles", "litter bins"),
    "orient_sensors": ("capteurs", "sensors"),
    "orient_from_osm": ("relevés dans OpenStreetMap", "mapped in OpenStreetMap"),
    "orient_from_osm_f": ("relevées dans OpenStreetMap", "mapped in OpenStreetMap"),  # feminine: corbeilles
    "orient_from_inventory": ("de l'inventaire importé", "from the imported inventory"),
    "orient_measured": ("mesurés", "measured"),
    "orient_synthetic": ("générés (synthétiques)", "generated (synthetic)"),
    "orient_mixed": ("dont {synthetic} générés et {observed} réels :", "of which {synthetic} generated and "
                                                                        "{observed} real:"),
    "orient_period": ("du {first} au {last}", "from {first} to {last}"),
    "orient_no_sensors": ("aucun capteur", "no sensors"),
    "orient_sensor_kinds": ("Capteurs par type", "Sensors by kind"),
    "orient_q_precipitation": ("pluviomètre", "rain gauge"),
    "orient_q_discharge": ("débit de rivière", "river discharge"),
    "orient_q_water_level": ("hauteur d'eau", "water level"),
    "orient_q_air_temperature": ("température extérieure", "outdoor temperature"),
    "orient_q_indoor_temperature": ("température intérieure", "indoor temperature"),
    "orient_q_gas_energy": ("compteur de gaz", "gas meter"),
    "orient_q_electric_energy": ("compteur d'électricité", "electricity meter"),
    "orient_q_heating_power": ("puissance de chauffage", "heating power"),
    "orient_q_traffic_flow": ("comptage routier", "traffic counter"),
    "orient_q_fill_level": ("remplissage de corbeille", "bin fill level"),
    "orient_q_relative_humidity": ("humidité relative", "relative humidity"),
    "orient_q_irradiance": ("ensoleillement", "irradiance"),
    "orient_q_wind_speed": ("vitesse du vent", "wind speed"),
    # --- the flood-detours result view
    "orient_fd_streets_caption": (
        "Rues : noir, les {n} tronçons fermés par la crue ; variation du débit à l'heure de pointe "
        "(rouge : plus, vert : moins ; largeur selon la variation)",
        "Streets: black, the {n} segments the flood closes; peak-hour flow change (red: more, green: less; "
        "width grows with the change)"),
    "orient_fd_closed_hover": ("fermée par la crue", "closed by the flood"),
    "orient_fd_variant": ("rues inondées fermées", "flooded streets closed"),
    "orient_fd_buildings_caption": (
        "Bâtiments : rouge foncé, {lost} que les secours n'atteignent plus ; orange, {late} atteints à temps "
        "avant la crue et hors délai après",
        "Buildings: dark red, {lost} the emergency services no longer reach; orange, {late} reached in time "
        "before the flood and late after it"),
    "orient_fd_access_hover": ("{service} : {before} → {after}", "{service}: {before} → {after}"),
    "orient_fd_both": ("{a} ; {b}", "{a}; {b}"),
    "orient_fd_fire": ("pompiers", "fire station"),
    "orient_fd_hospital": ("hôpital", "hospital"),
    "orient_fd_minutes": ("{n} min", "{n} min"),
    "orient_fd_never": ("plus atteint", "not reached"),
    "orient_fd_no_access": (
        "Accès des secours non calculé : le territoire n'a ni caserne de pompiers (amenity=fire_station) "
        "ni hôpital (amenity=hospital) parmi ses lieux et bâtiments ; les indicateurs pompiers et hôpital "
        "sont vides (non calculés), pas nuls.",
        "Emergency access not computed: the territory has neither a fire station (amenity=fire_station) nor "
        "a hospital (amenity=hospital) among its places and buildings; the fire and hospital indicators are "
        "empty (not computed), not zero."),
    "orient_fd_no_fire": (
        "Accès des pompiers non calculé : aucune caserne (amenity=fire_station) parmi les lieux et bâtiments "
        "du territoire ; ses indicateurs sont vides (non calculés), pas nuls.",
        "Fire-station access not computed: no fire station (amenity=fire_station) among the territory's places "
        "and buildings; its indicators are empty (not computed), not zero."),
    "orient_fd_no_hospital": (
        "Accès à l'hôpital non calculé : aucun hôpital (amenity=hospital) parmi les lieux et bâtiments du "
        "territoire ; ses indicateurs sont vides (non calculés), pas nuls.",
        "Hospital access not computed: no hospital (amenity=hospital) among the territory's places and "
        "buildings; its indicators are empty (not computed), not zero."),
    # --- scenario errors a user can cause from the form (twin.app.i18n_errors.user_message)
    "err_in_parameter": ("{parameter} : {message}", "{parameter}: {message}"),
    "err_in_file": ("{origin} : {message}", "{origin}: {message}"),
    "err_param": ("{name} : {why}", "{name}: {why}"),
    "err_param_refused": ("la valeur {value} n'est pas acceptée", "the value {value} is not accepted"),
    "err_param_options": ("{value} n'est pas un choix possible (choix : {options})",
                          "{value} is not one of the choices ({options})"),
    "err_param_text": ("un texte est attendu, pas {value}", "a text is expected, not {value}"),
    "err_blank_street": (
        "{parameter} : l'élément {item} sur {count} est un nom de rue vide (il désignerait toutes les rues sans "
        "nom) ; donnez un nom de rue ou un identifiant de voie OSM",
        "{parameter}: item {item} of {count} is an empty street name (it would match every unnamed street); "
        "give a street name or an OSM way id"),
    "err_no_street": ("Aucune rue carrossable ne s'appelle {streets} : vérifiez l'orthographe ou choisissez les "
                      "rues sur la carte", "No drivable street is called {streets}: check the spelling or pick "
                      "the streets on the map"),
    "err_no_street_hint": ("Aucune rue carrossable ne s'appelle {streets} ; vouliez-vous dire {hints} ?",
                           "No drivable street is called {streets}; did you mean {hints}?"),
    "err_no_streets_given": ("Donnez au moins une rue à fermer (champ « Rues », ou choisissez-les sur la carte)",
                             "Give at least one street to close (field \"Streets\", or pick them on the map)"),
    "err_no_place": ("Le territoire {territory} n'a aucun lieu de la catégorie « {category} » : choisissez une "
                     "autre destination", "Territory {territory} has no place of category \"{category}\": "
                     "choose another destination"),
    "err_cat_townhall": ("mairie", "town hall"),
    "err_cat_school": ("école", "school"),
    "err_cat_health": ("santé", "health"),
    "err_cat_station": ("gare", "station"),
    "err_cat_sport": ("équipement sportif", "sports venue"),
    "err_cat_library": ("bibliothèque", "library"),
    "err_cat_market": ("marché", "market"),
    "err_hours_syntax": (
        "{parameter} « {text} » : attendu HH:MM-HH:MM, heure locale, minutes comprises (par ex. 07:30-18:45 ; "
        "22:00-05:00 passe minuit)",
        "{parameter} \"{text}\": expected HH:MM-HH:MM, local time, minutes kept (e.g. 07:30-18:45; 22:00-05:00 "
        "wraps past midnight)"),
    "err_hours_time": (
        "{parameter} « {text} » : une heure n'existe pas dans la journée (de 00:00 à 24:00, minutes de 00 à 59) ; "
        "attendu HH:MM-HH:MM, par ex. 07:30-18:45",
        "{parameter} \"{text}\": a time is not a time of day (00:00 to 24:00, minutes 00 to 59); expected "
        "HH:MM-HH:MM, e.g. 07:30-18:45"),
    "err_hours_empty": (
        "{parameter} « {text} » : la plage est vide (début = fin) ; pour toute la journée, donnez 00:00-24:00",
        "{parameter} \"{text}\": the window is empty (start = end); for the whole day give 00:00-24:00"),
    "err_polygon_wkt": (
        "La zone {text} n'est pas un polygone WKT lisible : attendu par ex. POLYGON((lon lat, …)) en WGS84, ou "
        "dessinez la zone sur la carte",
        "Zone {text} is not a readable WKT polygon: expected e.g. POLYGON((lon lat, …)) in WGS84, or draw the "
        "zone on the map"),
    "err_no_street_selected": (
        "Aucune rue choisie : donnez des rues ou une zone qui en contient",
        "No street selected: give streets or a zone that covers some"),
    "err_rule_shape": (
        "{parameter}, règle {item} : attendu {{\"zone\": {{…}}, \"schedule\": {{…}}}} (deux objets, rien d'autre)",
        "{parameter}, rule {item}: expected {{\"zone\": {{…}}, \"schedule\": {{…}}}} (both objects, nothing else)"),
    "err_rule_zone": (
        "{parameter}, règle {item} : la zone doit être l'une de all, highway, cabinets, near, polygon",
        "{parameter}, rule {item}: the zone must be one of all, highway, cabinets, near, polygon"),
    "err_zone_kind": ("Zone inconnue : attendu l'une de all, highway, cabinets, near, polygon",
                      "Unknown zone: expected one of all, highway, cabinets, near, polygon"),
    "err_zone_no_place": ("Le territoire {territory} n'a aucun lieu des catégories {categories} : la zone "
                          "« près de » ne contient aucun lampadaire", "Territory {territory} has no place of "
                          "categories {categories}: the \"near\" zone holds no lamp"),
    "err_rule_schedule": (
        "Règle {item}, horaire « {schedule} » illisible : heures au format HH:MM (00:00 à 24:00), fenêtres "
        "d'extinction [début, fin], fenêtres de gradation [début, fin, niveau] avec un niveau entre 0 et 1, "
        "dates AAAA-MM-JJ",
        "Rule {item}, schedule \"{schedule}\" cannot be read: times HH:MM (00:00 to 24:00), off windows "
        "[start, end], dimming windows [start, end, level] with a level between 0 and 1, dates YYYY-MM-DD"),
    "err_no_lamps": ("Le territoire {territory} n'a aucun lampadaire : importez un inventaire d'éclairage",
                     "Territory {territory} has no street lamps: import a lighting inventory"),
    "err_no_heating_slope": ("Un bâtiment sans pente de chauffage n'a pas de chauffage à programmer",
                             "A building without a heating slope has no heating to schedule"),
    "err_no_metered": (
        "Aucun bâtiment à compteur ne passe les critères de l'ASHRAE Guideline 14 : rien à simuler honnêtement "
        "(essayez une autre année ou d'autres bâtiments)",
        "No metered building passes the ASHRAE Guideline 14 criteria: nothing to simulate honestly (try another "
        "year or other buildings)"),
    "err_booking_twice": ("Le calendrier de réservations est donné deux fois (fichier et texte) : donnez-le une "
                          "seule fois", "The booking calendar is given twice (file and text): give it once"),
    "err_no_sensor_store": ("Le territoire {territory} n'a pas d'historique de capteurs : pas de compteurs à caler",
                            "Territory {territory} has no sensor history: no meters to calibrate"),
    "err_no_temperature_sensor": ("L'historique de capteurs n'a pas de température extérieure",
                                  "The sensor history has no outdoor air temperature"),
    "err_no_gas_meter": ("Pas de compteur de gaz pour le(s) bâtiment(s) {buildings}",
                         "No gas meter for building(s) {buildings}"),
    "err_temperature_short": (
        "La température extérieure ne couvre que {hours} heures de {year} : choisissez une année de l'historique",
        "The outdoor temperature covers only {hours} hours of {year}: choose a year of the history"),
    "err_flood_family": ("Ce champ prend les paramètres d'une prévision de crue, pas de « {family} »",
                         "This field takes the parameters of a flood forecast, not of \"{family}\""),
    "err_flood_variant": ("{variant} n'est pas une variante de cette prévision de crue (elle a {variants})",
                          "{variant} is not a variant of this flood forecast (it has {variants})"),
    "err_unknown_params": ("paramètre(s) inconnu(s) {names} pour « {family} » (connus : {known})",
                           "unknown parameter(s) {names} for \"{family}\" (known: {known})"),
    "err_not_object": ("un scénario est un objet JSON {{\"family\": …, paramètres…}}, pas {kind}",
                       "a scenario is a JSON object {{\"family\": …, parameters…}}, not {kind}"),
    "err_json_list": ("une liste", "a list"),
    "err_json_string": ("un texte", "a string"),
    "err_json_bool": ("vrai/faux", "true/false"),
    "err_json_null": ("null", "null"),
    "err_json_number": ("un nombre", "a number"),
    "err_json_object": ("un objet", "an object"),
    "err_file_too_big": ("{mb} Mo, plus que les {limit} Mo permis pour un fichier de scénario",
                         "{mb} MB, more than the {limit} MB a scenario file may be"),
    "err_not_utf8": ("pas du texte UTF-8 (octet {byte}) : un fichier de scénario JSON est attendu",
                     "not UTF-8 text (byte {byte}): expected a JSON scenario file"),
    "err_not_json": ("fichier de scénario JSON illisible : erreur ligne {line}, colonne {column}",
                     "not a readable JSON scenario file: error at line {line}, column {column}"),
    "err_too_deep": ("imbriqué sur plus de {depth} niveaux (objets et listes)",
                     "nested more than {depth} levels deep (objects and lists)"),
    "err_unknown_family": ("famille de scénario inconnue {family}", "unknown scenario family {family}"),
}
