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
}
