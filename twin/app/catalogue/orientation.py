"""Strings of the page's orientation part: {key: (French, English)}.

``orient_*``: the town summary under the page title (:mod:`twin.app.summary`) and the flood-detours
result view (:mod:`twin.app.views.flood_detours`); ``err_*``: the scenario errors a user can cause
from the form, said in the page's language (:mod:`twin.app.i18n_errors`).
"""

STRINGS: dict[str, tuple[str, str]] = {
    # --- the town summary
    "orient_summary_label": ("La commune en bref", "The town at a glance"),
    "orient_inhabitants": ("Habitants :", "Inhabitants:"),
    # the scenarios count people per building (inondation, casse d'eau): said, so that « inconnu » beside
    # « 312 personnes privées d'eau » reads as a total the map does not give, not as nobody counted
    "orient_unknown": ("inconnu", "unknown"),
    "orient_unknown_why": ("l'extrait OpenStreetMap ne le dit pas ; les calculs estiment les habitants de chaque "
                           "bâtiment", "the OpenStreetMap extract does not say; the runs estimate each building's "
                           "people"),
    "orient_streets": ("{named} rues nommées, {km} km de voies carrossables",
                       "{named} named streets, {km} km of drivable street"),
    "orient_buildings": ("bâtiments", "buildings"),
    "orient_lamps": ("lampadaires", "street lamps"),
    "orient_bins": ("corbeilles", "litter bins"),
    "orient_and": ("et", "and"),
    "orient_containers": ("autres conteneurs (tri, ordures ménagères)", "other containers (sorting, household waste)"),
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
    "orient_q_electric_energy_index": ("index de compteur d'électricité", "electricity meter register"),
    "orient_q_heating_power": ("puissance de chauffage", "heating power"),
    "orient_q_traffic_flow": ("comptage routier", "traffic counter"),
    "orient_q_traffic_daily": ("trafic moyen journalier (TMJA)", "annual average daily traffic"),
    "orient_q_road_occupancy": ("taux d'occupation de la chaussée", "road occupancy rate"),
    "orient_q_fill_level": ("remplissage de corbeille", "bin fill level"),
    "orient_q_parking_occupancy": ("occupation du stationnement", "parking occupancy"),
    # the water break's (twin.scenarios.water_break)
    "err_break_pressures": ("La pression minimale ({minimum} m) doit être inférieure à la pression de service "
                            "({service} m)", "The minimum pressure ({minimum} m) must be below the service pressure "
                            "({service} m)"),
    "err_break_site_kind": ("Site sensible « {site} » : attendu l'identifiant d'un nœud du réseau (un texte, par "
                            "exemple \"J0038\")", "Sensitive site “{site}”: expected a network node's id (text, e.g. "
                            "\"J0038\")"),
    "err_break_site_node": ("Site sensible « {site} » : « {node} » n'est pas un nœud du réseau d'eau",
                            "Sensitive site “{site}”: “{node}” is not a node of the water network"),
    "err_break_pipe": ("Conduite « {pipe} » : ce n'est pas une conduite du réseau d'eau",
                       "Pipe “{pipe}”: not a pipe of the water network"),
    "err_break_time": ("Heure de la casse : « {text} » n'est pas une heure (attendu HH:MM, par exemple 18:30)",
                       "Time of the break: “{text}” is not a time of day (expected HH:MM, e.g. 18:30)"),
    # the parking family's errors (twin.scenarios.parking)
    "err_parking_hours": ("{parameter} : « {text} » n'est pas une plage d'heures (attendu HH:MM-HH:MM, par exemple "
                          "08:00-18:00)", "{parameter}: “{text}” is not a range of hours (expected HH:MM-HH:MM, "
                          "e.g. 08:00-18:00)"),
    "err_parking_empty_window": ("{parameter} : la plage {text} est vide (début = fin) ; pour toute la journée, "
                                 "choisissez de 00:00 à 24:00", "{parameter}: the range {text} is empty (start = end); "
                                 "for the whole day, choose 00:00 to 24:00"),
    "err_parking_removal_outside": ("Les places sont retirées de {hours}, hors des heures simulées ({period}) : le "
                                    "retrait ne changerait rien ; élargissez les heures simulées ou déplacez le "
                                    "retrait", "The spaces are removed {hours}, outside the hours simulated "
                                    "({period}): the removal would change nothing; widen the hours simulated or move "
                                    "the removal"),
    "err_parking_empty_name": ("{parameter} : un nom est vide", "{parameter}: a name is empty"),
    "err_parking_guidance_no_sensors": (
        "Le guidage montre aux conducteurs les places libres que voient les capteurs : sans capteurs (part des "
        "places équipées à 0), il n'en montre aucune. Indiquez aussi la part des places équipées de capteurs.",
        "Guidance shows drivers the free spaces the sensors see: with no sensors (share of spaces equipped at 0) "
        "it shows none. Give the share of spaces with sensors too."),
    "err_parking_unknown_street": ("« {street} » n'est pas une rue du territoire (rues proches du nom : {near})",
                                   "“{street}” is not a street of the territory (streets with a close name: {near})"),
    "err_parking_nothing_removed": ("{where} : aucune place en bordure de trottoir à supprimer dans l'offre du "
                                    "territoire. Nommez des rues où l'on se gare, ou fermez un parking.",
                                    "{where}: no kerb spaces to remove in the territory's supply. Name streets with "
                                    "kerb parking, or close a car park."),
    "err_parking_unknown_car_park": ("« {name_given} » n'est pas un parking du territoire (ses parkings : {names})",
                                     "“{name_given}” is not a car park of the territory (its car parks: {names})"),
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
    # --- scenario errors a user can cause from the form (twin.app.i18n_errors.user_message)
    "err_in_parameter": ("{parameter} : {message}", "{parameter}: {message}"),
    "err_in_file": ("{origin} : {message}", "{origin}: {message}"),
    "err_param": ("{name} : {why}", "{name}: {why}"),
    "err_param_refused": ("la valeur {value} n'est pas acceptée", "the value {value} is not accepted"),
    "err_param_options": ("{value} n'est pas un choix possible (choix : {options})",
                          "{value} is not one of the choices ({options})"),
    "err_param_text": ("un texte est attendu, pas {value}", "a text is expected, not {value}"),
    "err_unread_params": (
        "{names} n'est pas lu avec les autres valeurs données : retirez-le ou choisissez ce qui le lit (tel quel, "
        "le calcul l'ignorerait)",
        "{names} is not read with the other values given: remove it or set what reads it (as given, the run "
        "would ignore it)"),
    "err_bool_street": (
        "{parameter} : l'élément {item} sur {count} est un booléen, pas une rue ; donnez un nom de rue ou un "
        "identifiant de voie OSM",
        "{parameter}: item {item} of {count} is a boolean, not a street; give a street name or an OSM way id"),
    "err_blank_street": (
        "{parameter} : l'élément {item} sur {count} est un nom de rue vide (il désignerait toutes les rues sans "
        "nom) ; donnez un nom de rue ou un identifiant de voie OSM",
        "{parameter}: item {item} of {count} is an empty street name (it would match every unnamed street); "
        "give a street name or an OSM way id"),
    "err_no_street": ("Aucune rue carrossable ne s'appelle {streets} : vérifiez l'orthographe ou choisissez les "
                      "rues sur la carte", "No drivable street is called {streets}: check the spelling or pick "
                      "the streets on the map"),
    "err_no_street_part": ("Aucun tronçon de rue carrossable ne correspond à {parts} : choisissez-le à nouveau "
                           "sur la carte", "No drivable street segment matches {parts}: pick it again on the map"),
    "err_part_nodes": ("« {street} » entre les nœuds OSM {u} et {v}", "“{street}” between OSM nodes {u} and {v}"),
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
    "err_polygon_no_street": (
        "La zone ne touche aucune rue du territoire, qui s'étend d'ouest en est de {lon} et du sud au nord de "
        "{lat} (degrés WGS84, POLYGON((lon lat, …)))",
        "The zone touches no street of the territory, which spans {lon} in longitude and {lat} in latitude "
        "(WGS84, POLYGON((lon lat, …)))"),
    "err_polygon_no_street_swapped": (
        "La zone ne touche aucune rue du territoire, qui s'étend d'ouest en est de {lon} et du sud au nord de "
        "{lat} (degrés WGS84, POLYGON((lon lat, …))) : ses deux coordonnées sont-elles inversées ?",
        "The zone touches no street of the territory, which spans {lon} in longitude and {lat} in latitude "
        "(WGS84, POLYGON((lon lat, …))): longitude and latitude swapped?"),
    "err_detour_closed": (
        "La déviation fléchée passe par {streets}, que les travaux ferment : retirez de la déviation les rues "
        "fermées (ou choisissez des travaux qui ne ferment qu'un sens, ou réduisent la capacité)",
        "The signed detour goes through {streets}, which the works close: remove the closed streets from the "
        "detour (or choose works that close one direction only, or reduce the capacity)"),
    "err_no_street_selected": (
        "Aucune rue choisie : donnez des rues ou une zone qui en contient",
        "No street selected: give streets or a zone that covers some"),
    "err_rule_shape": (
        "{parameter}, règle {item} : attendu {{\"zone\": {{…}}, \"schedule\": {{…}}}} (deux objets, rien d'autre)",
        "{parameter}, rule {item}: expected {{\"zone\": {{…}}, \"schedule\": {{…}}}} (both objects, nothing else)"),
    "err_rule_zone": (
        "{parameter}, règle {item} : la zone doit être l'une de all, highway, cabinets, near, polygon",
        "{parameter}, rule {item}: the zone must be one of all, highway, cabinets, near, polygon"),
    "err_near_radius": (
        "{parameter}, règle {item} : le rayon d'une zone « près de » doit être un nombre de mètres au-dessus de 0 "
        "et d'au plus {max} (donné : {value})",
        "{parameter}, rule {item}: a \"near\" zone's radius must be metres above 0 and at most {max} "
        "(given: {value})"),
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
    "err_ics_empty": ("{file} : le fichier est vide (un calendrier iCalendar .ics attendu)",
                      "{file}: the file is empty (expected an iCalendar file)"),
    # a bookings CSV (twin.sources.bookings_csv): the column named as found (one of our names, never the file's)
    "err_bookings_empty": ("{file} : le fichier est vide (un en-tête CSV attendu, puis une réservation par ligne)",
                           "{file}: the file is empty (expected a CSV header, then one booking a line)"),
    "err_bookings_no_start": ("{file} : pas de colonne de début (attendu un de ces noms dans l'en-tête : {names} …)",
                              "{file}: no start column (expected one of {names} … in the header)"),
    "err_bookings_no_end": ("{file} : pas de colonne de fin (attendu un de ces noms dans l'en-tête : {names} …)",
                            "{file}: no end column (expected one of {names} … in the header)"),
    "err_bookings_none": ("{file} : un en-tête et aucune réservation (une réservation par ligne attendue dessous)",
                          "{file}: a header and no booking (expected one booking a line below it)"),
    "err_bookings_fields": ("{file}, ligne {line} : plus de champs que de colonnes dans l'en-tête",
                            "{file}, line {line}: more fields than columns in the header"),
    "err_bookings_encoding": ("{file}, ligne {line} : ce n'est pas du texte UTF-8 (enregistrez le tableur en « CSV "
                              "UTF-8 »)", "{file}, line {line}: not UTF-8 text (save the spreadsheet as « CSV UTF-8 »)"),
    "err_bookings_csv": ("{file}, ligne {line} : ligne CSV illisible (un guillemet resté ouvert ?)",
                         "{file}, line {line}: not a readable CSV line (a quote left open?)"),
    "err_bookings_missing": ("{file}, ligne {line} : la colonne « {column} » est vide",
                             "{file}, line {line}: column « {column} » is empty"),
    "err_bookings_order": ("{file}, ligne {line} : la réservation finit ({end}) avant ou quand elle commence ({start})",
                           "{file}, line {line}: the booking ends ({end}) before or when it starts ({start})"),
    "err_bookings_date": ("{file}, ligne {line} : la colonne « {column} » n'est pas une date (par ex. 2024-03-04 ou "
                          "04/03/2024)",
                          "{file}, line {line}: column « {column} » does not hold a date, e.g. 2024-03-04 or 04/03/2024"),
    "err_bookings_hour": ("{file}, ligne {line} : la colonne « {column} » n'est pas une heure de 0:00 à 24:00",
                          "{file}, line {line}: column « {column} » does not hold an hour from 0:00 to 24:00"),
    "err_bookings_datetime": ("{file}, ligne {line} : la colonne « {column} » n'est pas une date et heure (par ex. "
                              "2024-03-04 18:00 ou 04/03/2024 18:00)",
                              "{file}, line {line}: column « {column} » does not hold a date and time, e.g. "
                              "2024-03-04 18:00 or 04/03/2024 18:00"),
    "err_bookings_datetime_or_hour": ("{file}, ligne {line} : la colonne « {column} » n'est pas une heure (par ex. "
                                      "18:00 ou 18h, la colonne de date donnant le jour) ni une date et heure",
                                      "{file}, line {line}: column « {column} » does not hold an hour such as 18:00 "
                                      "(the date column gives the day), or a date and time"),
    "err_bookings_hour_without_date": ("{file}, ligne {line} : la colonne « {column} » donne une heure sans jour : "
                                       "ajoutez une colonne « date » ou écrivez la date et l'heure (2024-03-04 18:00)",
                                       "{file}, line {line}: column « {column} » gives an hour with no day: add a "
                                       "« date » column or write the date and time (2024-03-04 18:00)"),
    "err_ics_begin": ("{file}, ligne {line} : BEGIN:VCALENDAR attendu (un calendrier iCalendar, RFC 5545)",
                      "{file}, line {line}: expected BEGIN:VCALENDAR (an iCalendar file, RFC 5545)"),
    "err_ics_invalid": ("{file} n'est pas un calendrier iCalendar valide (ligne {line}) : des lignes NOM:VALEUR "
                        "attendues entre BEGIN:VCALENDAR et END:VCALENDAR",
                        "{file} is not a valid iCalendar file (line {line}): expected NAME:VALUE content lines "
                        "between BEGIN:VCALENDAR and END:VCALENDAR"),
    "err_ics_invalid_nowhere": ("{file} n'est pas un calendrier iCalendar valide : des lignes NOM:VALEUR attendues "
                                "entre BEGIN:VCALENDAR et END:VCALENDAR",
                                "{file} is not a valid iCalendar file: expected NAME:VALUE content lines between "
                                "BEGIN:VCALENDAR and END:VCALENDAR"),
    "err_ics_value_date": ("{file}, ligne {line} : la date de {name} ne se lit pas (attendu par exemple "
                           "20230107T090000, sans tiret ni espace)",
                           "{file}, line {line}: the {name} date cannot be read (expected e.g. 20230107T090000, no "
                           "dashes nor space)"),
    "err_ics_value_rule": ("{file}, ligne {line} : la règle de répétition {name} ne se lit pas (attendu par exemple "
                           "FREQ=WEEKLY;BYDAY=MO,TU ; jours MO TU WE TH FR SA SU)",
                           "{file}, line {line}: the repetition rule {name} cannot be read (expected e.g. "
                           "FREQ=WEEKLY;BYDAY=MO,TU; days MO TU WE TH FR SA SU)"),
    "err_ics_unclosed": ("{file} : END:{component} manque (un fichier coupé ?)",
                         "{file}: END:{component} is missing (a file cut short?)"),
    "err_ics_end_before": ("{file}, ligne {line} : la réservation « {event} » finit avant de commencer",
                           "{file}, line {line}: the booking “{event}” ends before it starts"),
    "err_ics_no_end": ("{file}, ligne {line} : la réservation « {event} » n'a pas de fin (DTEND ou DURATION) : une "
                       "réservation sans durée ; ajoutez son heure de fin",
                       "{file}, line {line}: the booking “{event}” has no end (DTEND or DURATION): a booking of no "
                       "length; add its end time"),
    "err_ics_twice": ("{file}, ligne {line} : {name} donné deux fois dans la réservation « {event} »",
                      "{file}, line {line}: {name} given twice in the booking “{event}”"),
    "err_ics_tz": ("{file}, ligne {line} : fuseau horaire « {zone} » inconnu (attendu un nom comme Europe/Paris, ou "
                   "un VTIMEZONE du fichier)",
                   "{file}, line {line}: unknown time zone “{zone}” (expected a name such as Europe/Paris, or a "
                   "VTIMEZONE of the file)"),
    "err_ics_expand": ("{file} : les réservations ne peuvent être déroulées (une règle de répétition, une date ou "
                       "un fuseau horaire n'est pas compris)",
                       "{file}: the events cannot be expanded (a recurrence rule, date or time zone is not "
                       "understood)"),
    "err_building_ambiguous": ("« {building} » : {count} bâtiments portent ce nom ({ids}) ; donnez l'identifiant",
                               "« {building} »: {count} buildings have that name ({ids}); give the id"),
    "err_building_unknown": ("« {building} » : aucun bâtiment n'a cet identifiant ni ce nom (noms proches : {near})",
                             "« {building} »: no building has that id or name (nearest names: {near})"),
    "err_break_where": ("Dites quelle conduite casse : choisissez la rue de la casse",
                        "Say which pipe breaks: choose the street of the break"),
    "err_break_street": ("Aucune conduite du réseau ne passe sous « {street} » (rues du réseau, par exemple : {streets})",
                         "No pipe of the network lies under “{street}” (streets of the network, e.g. {streets})"),
    "err_break_street_unnamed": ("Aucune conduite du réseau ne passe sous « {street} » (ses conduites ne portent "
                                 "pas de nom de rue)", "No pipe of the network lies under “{street}” (its pipes carry "
                                 "no street names)"),
    "err_night_above_day": ("La pression de nuit ({night} m) est au-dessus de la pression de jour ({day} m) : la "
                            "consigne de nuit est la plus basse",
                            "The night pressure ({night} m) is above the day pressure ({day} m): the night setpoint "
                            "is the lower one"),
    "err_pressure_not_below": ("{parameter} : {value} m n'abaisse aucun réducteur de pression (réglages actuels : "
                               "{today}) ; choisissez une pression plus basse",
                               "{parameter}: {value} m lowers no pressure-reducing valve (settings today: {today}); "
                               "choose a lower pressure"),
    "err_pressure_none": ("Donnez au moins une nouvelle consigne de pression (la pression de nuit, par exemple)",
                          "Give at least one new pressure setpoint (the night pressure, for instance)"),
    "err_building_unknown_alone": ("« {building} » : aucun bâtiment n'a cet identifiant ni ce nom",
                                   "« {building} »: no building has that id or name"),
    "err_setpoint_order": ("« {low} » ({low_c} °C) est au-dessus de « {high} » ({high_c} °C) : une consigne "
                           "réduite ne dépasse pas celle qu'elle réduit",
                           "« {low} » ({low_c} °C) is above « {high} » ({high_c} °C): a setpoint that "
                           "steps down is not above the one it steps down from"),
    "err_booking_none_in_year": ("Le calendrier de réservations n'a aucune réservation en {year}, l'année "
                                 "simulée (« Année météo ») : ses réservations sont datées de {years}. "
                                 "Donnez le calendrier de {year}",
                                 "The booking calendar has no booking in {year}, the year simulated (“Weather "
                                 "year”): its bookings are dated {years}. Give the calendar of {year}"),
    "err_booking_empty": ("Le calendrier de réservations ne contient aucune réservation",
                          "The booking calendar holds no booking"),
    "err_booking_twice": ("Le calendrier de réservations est donné deux fois (fichier et texte) : donnez-le une "
                          "seule fois", "The booking calendar is given twice (file and text): give it once"),
    "err_no_sensor_store": ("Le territoire {territory} n'a pas d'historique de capteurs : pas de compteurs à caler",
                            "Territory {territory} has no sensor history: no meters to calibrate"),
    "err_no_temperature_sensor": ("L'historique de capteurs n'a pas de température extérieure",
                                  "The sensor history has no outdoor air temperature"),
    "err_no_gas_meter": ("Pas de compteur de gaz pour le(s) bâtiment(s) {buildings}",
                         "No gas meter for building(s) {buildings}"),
    "err_temperature_short": (
        "La température extérieure ne couvre que {hours} heures de {year} : choisissez une année de l'historique "
        "({years})",
        "The outdoor temperature covers only {hours} hours of {year}: choose a year of the history ({years})"),
    "err_temperature_no_year": (
        "La température extérieure ne couvre que {hours} heures de {year}, et aucune année complète de "
        "l'historique", "The outdoor temperature covers only {hours} hours of {year}, and no whole year of the "
        "history"),
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
    "err_missing_family": ("{origin} : il manque la clé « family » (la famille du scénario, parmi {known})",
                           "{origin}: no \"family\" key (the scenario's family, one of {known})"),
    # --- bins (twin.scenarios.bins)
    "err_weekdays": ("{parameter} {text} : attendu des jours de semaine distincts de 0 à 6 (lundi = 0), au moins un",
                     "{parameter} {text}: expected distinct weekdays 0 to 6 (Monday = 0), at least one"),
    "err_date": ("{parameter} « {text} » n'est pas une date écrite AAAA-MM-JJ (par ex. 2023-04-03 pour le 3 avril)",
                 "{parameter} \"{text}\" is not a date: expected YYYY-MM-DD, e.g. 2023-04-03"),
    "err_point": ("{parameter}, point n° {item} ({text}) : attendu [longitude, latitude] en degrés (WGS84), "
                  "longitude entre -180 et 180, latitude entre -90 et 90",
                  "{parameter}, point no. {item} ({text}): expected [longitude, latitude] in degrees (WGS84), "
                  "longitude from -180 to 180, latitude from -90 to 90"),
    "err_point_outside": ("{parameter}, point n° {item} ({text}) : à {km} km de la rue la plus proche du territoire "
                          "(au plus {limit} m) ; attendu [longitude, latitude] d'un point du territoire",
                          "{parameter}, point no. {item} ({text}): {km} km from the territory's nearest walkable "
                          "street (at most {limit} m); expected the [longitude, latitude] of a point in the territory"),
    "err_bins_budget": (
        "Simulation trop longue : {members} tirages × {days} jours × {bins} corbeille(s) = {work} corbeille-jours, "
        "plus que les {limit} permis ; réduisez le nombre de tirages ou la durée de la saison",
        "Run too long: {members} members × {days} days × {bins} bin(s) = {work} bin-days, more than the {limit} "
        "allowed; fewer members or a shorter season"),
    "err_compacting_bins": (
        "{count} corbeilles compactantes demandées, mais {territory} n'a que {bins} corbeilles : choisissez-en "
        "{bins} au plus",
        "{count} compacting bins asked for, but {territory} has only {bins} litter bins: choose {bins} at most"),
    "err_no_bins": ("Le territoire {territory} n'a aucune corbeille de rue : rien à collecter",
                    "Territory {territory} has no litter bin: nothing to collect"),
    "err_close_bins": ("Corbeilles à fermer inconnues à {territory} : {ids} (les identifiants ressemblent à "
                       "{example})", "Bins to close unknown in {territory}: {ids} (ids look like {example})"),
    "err_close_hours_one_day": (
        "{parameter} « {text} » : la fermeture doit tenir dans une journée (début avant fin, sans passer "
        "minuit), par ex. 18:00-24:00",
        "{parameter} \"{text}\": the closure must fit in one day (start before end, not past midnight), "
        "e.g. 18:00-24:00"),
    "err_bins_truck_capacity": ("{parameter} : un camion doit pouvoir emporter quelque chose (plus de 0 l)",
                                "{parameter}: a truck must carry something (more than 0 l)"),
    "err_bins_no_history": (
        "Le territoire {territory} n'a pas d'historique de capteurs : les corbeilles ont besoin de relevés de "
        "remplissage", "Territory {territory} has no sensor history: bins need fill-level records"),
    # --- flood forecast (twin.scenarios.flood)
    "err_gr4h_params": (
        "{parameter} : attendu quatre nombres X1 > 0 (mm), X2 (mm/h), X3 > 0 (mm), X4 ≥ 0,5 (h), ou une liste "
        "vide pour les caler", "{parameter}: expected four numbers X1 > 0 (mm), X2 (mm/h), X3 > 0 (mm), "
        "X4 ≥ 0.5 (h), or an empty list to calibrate them"),
    "err_rain_numbers": ("{parameter} : attendu une liste de nombres (mm de pluie pour chaque heure)",
                         "{parameter}: expected a list of numbers (mm of rain in each hour)"),
    "err_flood_budget": (
        "Prévision trop lourde : {members} membres × {horizon} h d'horizon = {work} membre-heures, plus que "
        "les {limit} permis ; réduisez le nombre de membres ou l'horizon",
        "Forecast too large: {members} members × {horizon} h horizon = {work} member-hours, more than the "
        "{limit} allowed; fewer members or a shorter horizon"),
    "err_flood_gauges": ("Les capteurs de la prévision ne peuvent être lus avant l'heure de prévision {time} : "
                         "choisissez d'autres capteurs ou une autre heure",
                         "The forecast's sensors cannot be read before the forecast time {time}: choose other "
                         "sensors or another time"),
    "err_flood_too_early": (
        "L'heure de prévision {time} est trop tôt : les données commencent le {first} et il faut au moins {days} "
        "jours d'historique avant elle (première heure de prévision possible : {earliest}, soit le {earliest_local} "
        "heure de Paris)",
        "The forecast time {time} is too early: the data start on {first} and at least {days} days of history are "
        "needed before it (the earliest forecast time: {earliest}, {earliest_local} Paris time)"),
    "err_flood_outside": (
        "L'heure de prévision {time} est hors des données ({first} … {last}) : il faut au moins {days} jours "
        "d'historique avant elle, jusqu'à l'heure qui la précède",
        "The forecast time {time} is outside the data ({first} … {last}): at least {days} days of history are "
        "needed before it, up to the hour before it"),
    "err_flood_hindcast_rain": (
        "Une simulation a posteriori a besoin de la pluie observée par {sensor} sur tout l'horizon : {missing} "
        "des {hours} heures manquent (la première : {time})",
        "A hindcast needs the rain observed by {sensor} over the whole horizon: {missing} of the {hours} hours "
        "are missing (the first: {time})"),
    "err_rain_file_unreadable": ("Le fichier de prévision de pluie {file} est illisible : attendu un CSV aux "
                                 "colonnes time, rain_mm",
                                 "The rain forecast file {file} cannot be read: expected a CSV with columns time, "
                                 "rain_mm"),
    "err_rain_file_columns": ("Le fichier de prévision de pluie {file} n'a pas la ou les colonnes {columns} "
                              "(attendu : time, rain_mm — ou time, mm)", "The rain forecast file {file} lacks "
                              "column(s) {columns} (expected: time, rain_mm — or time, mm)"),
    "err_rain_file_members": ("Le fichier de prévision de pluie {file} contient {members} membres ; le scénario "
                              "d'inondation lit une seule prévision et tire son ensemble autour d'elle (pluie "
                              "« ensemble » sur la prévision)",
                              "The rain forecast file {file} holds {members} members; the flood scenario reads one "
                              "forecast and draws its ensemble around it (rain « ensemble » on the forecast)"),
    "err_rain_file_lines": (
        "Fichier de prévision de pluie {file}, ligne(s) {lines} : attendu des heures entières distinctes à partir "
        "de l'heure de prévision {time}",
        "Rain forecast file {file}, line(s) {lines}: expected distinct whole hours from the forecast time {time}"),
    "err_rain_forecast_needed": (
        "La pluie « forecast » (ou un ensemble bâti sur elle) a besoin d'une prévision de pluie : une liste de "
        "mm par heure ou un fichier CSV, à partir de l'heure de prévision",
        "The rain \"forecast\" (or an ensemble built on it) needs a rain forecast: a list of mm per hour or a "
        "CSV file, from the forecast time"),
    "err_rain_value": ("{parameter} : la pluie {value} à l'heure {hour} n'est pas une hauteur finie et positive "
                       "ou nulle (mm) d'au plus 300 mm en une heure (la plus forte pluie horaire jamais mesurée "
                       "est d'environ 305 mm)",
                       "{parameter}: the rain {value} at hour {hour} is not a finite, "
                       "non-negative depth (mm) of at most 300 mm in an hour (the world record is about 305 mm)"),
    "err_rain_file_value_line": ("Fichier de prévision de pluie {file}, ligne {line} : « {value} » n'est pas une "
                                 "hauteur de pluie en mm (un nombre, de 0 à 300 mm en une heure)",
                                 "Rain forecast file {file}, line {line}: \"{value}\" is not a rain depth in mm (a "
                                 "number, 0 to 300 mm in an hour)"),
    "err_rain_file_outside": ("Fichier de prévision de pluie {file} : aucune de ses {n} heure(s) ne tombe dans la "
                              "prévision, du {start} au {end} ; sa première est le {first} : une prévision pour un "
                              "autre jour ?",
                              "Rain forecast file {file}: none of its {n} hours falls within the forecast, from "
                              "{start} to {end}; its first is {first}: a rain forecast for another day?"),
    "err_rain_file_value": ("Fichier de prévision de pluie {file} : la pluie {value} à l'heure {hour} n'est pas "
                            "une hauteur finie et positive ou nulle (mm) d'au plus 300 mm en une heure (la plus "
                            "forte pluie horaire jamais mesurée est d'environ 305 mm)",
                            "Rain forecast file {file}: the rain {value} at hour {hour} is not a finite, "
                            "non-negative depth (mm) of at most 300 mm in an hour (the world record is about 305 mm)"),
    "err_flood_history_short": ("L'historique de pluie avant {time} est plus court que l'horizon de {horizon} h",
                                "The rain history before {time} is shorter than the {horizon} h horizon"),
    "err_flood_no_analog": (
        "Aucune fenêtre de pluie de {horizon} h à ± {days} jours du {date} avant l'heure de prévision : "
        "élargissez la saison des pluies tirées ou raccourcissez l'horizon",
        "No {horizon} h window of rain within ± {days} days of {date} before the forecast time: widen the season "
        "of the rains drawn or shorten the horizon"),
    "err_river_names": ("{parameter} : attendu une liste de noms de rivières, par ex. [\"Vilaine\"]",
                        "{parameter}: expected a list of river names, e.g. [\"Vilaine\"]"),
    "err_flood_missing": (
        "{parameter} : le territoire {territory} n'en a pas de valeur par défaut ; donnez-la (par ex. {example})",
        "{parameter}: territory {territory} has no default for it; give it (e.g. {example})"),
    # « ISO 8601 » is jargon to a flood officer: the form written out, the year first; the page's box reads
    # Paris time (twin.app.forms_time), a scenario file UTC
    "err_time": ("{parameter} « {text} » n'est pas une date et heure lisible : écrivez l'année d'abord, par ex. "
                 "2023-02-22 14:00 pour le 22 février 2023 à 14 h (dans le formulaire, l'heure de Paris, aussi écrite "
                 "22/02/2023 14:00 ; dans un "
                 "fichier de scénario, l'heure UTC, ou suivie de +01:00 pour l'heure de Paris en hiver, +02:00 en été)",
                 "{parameter} \"{text}\" is not a readable date and time: write the year first, e.g. "
                 "2023-02-22 14:00 for 22 February 2023 at 14:00 (in the form, Paris time, also written 22/02/2023 14:00; "
                 "in a scenario file, UTC, "
                 "or followed by +01:00 for Paris time in winter, +02:00 in summer)"),
    "err_number_range": ("{parameter} : attendu un nombre de {low} à {high} {unit}, pas « {text} »",
                         "{parameter}: expected a number from {low} to {high} {unit}, not \"{text}\""),
    "err_alert_levels": (
        "{parameter} : attendu une cote en mètres pour chacun des niveaux yellow, orange, red, par ex. "
        "{{\"yellow\": 3.5, \"orange\": 4.5, \"red\": 5.5}}",
        "{parameter}: expected a stage in metres for each of the levels yellow, orange, red, e.g. "
        "{{\"yellow\": 3.5, \"orange\": 4.5, \"red\": 5.5}}"),
    "err_alert_levels_order": (
        "{parameter} : les niveaux doivent monter de jaune à orange à rouge (saisi : jaune {yellow} m, orange "
        "{orange} m, rouge {red} m)",
        "{parameter}: the levels must rise from yellow to orange to red (given: yellow {yellow} m, orange {orange} m, "
        "red {red} m)"),
    "err_flood_gauge_choice": (
        "{parameter} : le territoire {territory} n'en a pas de valeur par défaut et a {count} capteur(s) de ce type "
        "({sensors}) : choisissez-en un",
        "{parameter}: territory {territory} has no default for it and {count} sensor(s) of that kind "
        "({sensors}): choose one"),
    "err_flood_sensor": ("{parameter} : {sensor} n'est pas un capteur de l'historique du territoire",
                         "{parameter}: {sensor} is not a sensor of the territory's history"),
    # --- lighting schedules (twin.models.lighting)
    "err_schedule_weekend": (" (vendredi et samedi soir)", " (Friday and Saturday nights)"),
    "err_schedule_time": ("Horaire « {schedule} »{weekend} : l'heure « {text} » n'est pas au format HH:MM "
                          "(00:00 à 24:00)", "Schedule \"{schedule}\"{weekend}: the time \"{text}\" is not "
                          "HH:MM (00:00 to 24:00)"),
    "err_schedule_empty": ("Horaire « {schedule} »{weekend} : la plage de {start} à {end} est vide (elle finit "
                           "quand elle commence) : donnez les heures qu'elle dure, par exemple 23:00 à 05:00",
                           "Schedule \"{schedule}\"{weekend}: the window from {start} to {end} is empty (it ends "
                           "when it starts): give the hours it lasts, e.g. 23:00 to 05:00"),
    "err_schedule_keys": ("Horaire « {schedule} » : clé(s) inconnue(s) {names} (connues : {known})",
                          "Schedule \"{schedule}\": unknown key(s) {names} (known: {known})"),
    "err_schedule_off": ("Horaire « {schedule} »{weekend} : la fenêtre d'extinction {text} doit être "
                         "[début, fin]", "Schedule \"{schedule}\"{weekend}: the off window {text} must be "
                         "[start, end]"),
    "err_schedule_dim": ("Horaire « {schedule} »{weekend} : la fenêtre de gradation {text} doit être "
                         "[début, fin, niveau]", "Schedule \"{schedule}\"{weekend}: the dimming window {text} "
                         "must be [start, end, level]"),
    "err_schedule_level": ("Horaire « {schedule} »{weekend} : le niveau de gradation {level} de {text} n'est pas "
                           "entre 0 et 1", "Schedule \"{schedule}\"{weekend}: the dimming level {level} of "
                           "{text} is not between 0 and 1"),
    "err_schedule_overlap": (
        "Horaire « {schedule} »{weekend} : deux gradations se chevauchent avec des niveaux différents, {level} de "
        "{start} à {end} et {other_level} de {other_start} à {other_end}, toutes deux à {time}",
        "Schedule \"{schedule}\"{weekend}: two dimming windows overlap with different levels, {level} from "
        "{start} to {end} and {other_level} from {other_start} to {other_end}, both at {time}"),
    "err_schedule_date": ("Horaire « {schedule} » : la date d'éclairage toute la nuit « {text} » n'est pas au "
                          "format AAAA-MM-JJ", "Schedule \"{schedule}\": the all-night date \"{text}\" is not "
                          "YYYY-MM-DD"),
    "err_rule_schedule_fault": ("Règle {item} : {cause}", "Rule {item}: {cause}"),
    # --- the map's toolbar: each tool's tooltip (twin.app.mapview.name_tools)
    "orient_tool_pan": ("Déplacer", "Pan"),
    "orient_tool_wheel_zoom": ("Zoom molette", "Wheel zoom"),
    "orient_tool_box_zoom": ("Zoom sur un rectangle", "Box zoom"),
    "orient_tool_reset": ("Réinitialiser", "Reset"),
    "orient_tool_save": ("Enregistrer l'image", "Save the image"),
    "orient_tool_tap": ("Choisir une rue (Maj + clic : plusieurs)", "Pick a street (shift + click: several)"),
    "orient_tool_box_select": ("Sélection rectangulaire", "Box select"),
    "orient_tool_hover": ("Infobulles", "Hover details"),
    "orient_tool_box_edit": ("Dessiner une zone (Maj + glisser)", "Draw a zone (shift + drag)"),
    "orient_tool_other": ("Outil de la carte", "Map tool"),
    # --- the map's hover details: the names of the values shown (the values are OpenStreetMap's own)
    "orient_hover_use": ("usage", "use"),
    "orient_hover_levels": ("étages", "levels"),
    # what a form's « Bâtiments » takes for a building with no name
    "orient_hover_id": ("identifiant", "id"),
    "orient_hover_length": ("longueur", "length"),
    "orient_hover_highway": ("catégorie de voie", "highway"),
    "orient_hover_source": ("source", "source"),
    "orient_hover_kind": ("catégorie", "kind"),
    "orient_hover_synthetic": ("générée", "synthetic"),
}
