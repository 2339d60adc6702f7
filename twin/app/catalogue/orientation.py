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
}
