"""Strings of the scenario forms (:mod:`twin.app.forms`): {key: (French, English)}.

Labels, help texts, options, units and refusals of the plain inputs built from the parameter
declarations: the street picker, the hour pickers, the day pickers, the lighting schedule form and
the French names of every selector option (the values the model takes stay English).
"""

STRINGS: dict[str, tuple[str, str]] = {
    # --- street picker
    "forms_street_placeholder": ("Tapez 3 lettres du nom de la rue…", "Type 3 letters of the street's name…"),
    "forms_enter_not_taken": ("« {typed} » n'est pas « {name} » : choisissez un nom dans la liste (rien n'a été ajouté)",
                              "“{typed}” is not “{name}”: pick a name from the list (nothing was added)"),
    "forms_no_street": ("Aucune rue de ce nom sur le territoire", "No street of that name in the territory"),
    "forms_no_more_streets": ("Toutes les rues sont choisies", "Every street is chosen"),
    "forms_streets_none": ("est vide : choisissez au moins une rue", "is empty: choose at least one street"),
    "forms_river_placeholder": ("Tapez 3 lettres du nom du cours d'eau…", "Type 3 letters of the river's name…"),
    "forms_no_river": ("Aucun cours d'eau de ce nom sur le territoire", "No river of that name in the territory"),
    "forms_no_more_rivers": ("Tous les cours d'eau sont choisis", "Every river is chosen"),
    "forms_help_river_names": ("Cours d'eau dont la zone inondable est cartographiée ; vide : ceux du territoire.",
                               "Rivers whose floodplain is mapped; empty: the territory's own."),
    "forms_level_yellow": ("jaune", "yellow"), "forms_level_orange": ("orange", "orange"),
    "forms_level_red": ("rouge", "red"),
    "forms_levels_all": ("donnez les trois seuils (jaune, orange, rouge) ou aucun (ceux du territoire)",
                         "give the three stages (yellow, orange, red) or none (the territory's own)"),
    "forms_help_alert_levels_m": ("Hauteur d'eau à la station pour chaque seuil d'alerte local (pas la vigilance "
                                  "Vigicrues) ; vide : ceux du territoire.",
                                  "Stage at the gauge of each alert level; empty: the territory's own."),
    "forms_prices_street": ("Rue", "Street"), "forms_prices_car_park": ("Parking", "Car park"),
    "forms_prices_price": ("€/h", "€/h"),
    "forms_prices_pair_street": ("donnez une rue et son prix sur chaque ligne commencée (ou videz la ligne)",
                                 "give a street and its price on every row begun (or empty the row)"),
    "forms_prices_pair_car_park": ("donnez un parking et son prix sur chaque ligne commencée (ou videz la ligne)",
                                   "give a car park and its price on every row begun (or empty the row)"),
    "forms_prices_range": ("le prix de {name} doit être entre 0 et {most} €/h",
                           "the price of {name} must be between 0 and {most} €/h"),
    "forms_prices_twice": ("{name} a deux prix : gardez-en un", "{name} has two prices: keep one"),
    "forms_car_park_near": ("Près de la rue", "Near the street"), "forms_car_park_spaces": ("Places", "Spaces"),
    "forms_car_park_pair": ("donnez la rue et le nombre de places (ou videz les trois cases : pas de nouveau parking)",
                            "give the street and the number of spaces (or empty the three boxes: no new car park)"),
    "forms_car_park_spaces_range": ("le nombre de places est un nombre entier de 1 à {most}",
                                    "the number of spaces is a whole number from 1 to {most}"),
    # not « le prix de Rue du Port »: the street's own kerb price is another field
    "forms_car_park_unknown": ("« {near} » n'est pas une rue du territoire : choisissez-en une dans la liste",
                               "“{near}” is not a street of the territory: pick one from the list"),
    "forms_car_park_price_range": ("le prix du nouveau parking doit être entre 0 et {most} €/h",
                                   "the new car park's price must be between 0 and {most} €/h"),
    "forms_osm_way": ("voie OSM {way}", "OSM way {way}"),
    "forms_help_streets": ("Choisissez les rues dans la liste (tapez le début du nom) ou sélectionnez-les sur la "
                           "carte puis « Utiliser la sélection ».",
                           "Pick the streets from the list (type the start of the name) or select them on the map "
                           "then “Use the selection”."),
    "forms_help_detour": ("Rues de l'itinéraire de déviation fléchée ; vide : les conducteurs choisissent seuls.",
                          "Streets of the signed detour; empty: drivers choose freely."),
    "forms_help_one_direction": ("Coché : un seul sens est fermé, celui dans lequel la rue est dessinée dans "
                                 "OpenStreetMap (le sens ne se choisit pas encore ici) ; décoché : les deux sens.",
                                 "Ticked: one direction is closed, the one the street is drawn in on OpenStreetMap "
                                 "(the direction cannot be chosen here yet); unticked: both directions."),
    "forms_help_residents_access": ("Coché : « route barrée sauf riverains », les habitants et commerces desservis "
                                    "par la rue en travaux y passent encore, la circulation de transit est déviée. "
                                    "Décoché : la rue est fermée à tous, et les bâtiments qu'elle seule dessert "
                                    "n'ont plus d'accès en voiture.",
                                    "Ticked: « road closed except for residents », the homes and shops the street "
                                    "serves can still drive through, through traffic is diverted. Unticked: the "
                                    "street is closed to all, and the buildings it alone serves lose car access."),
    "forms_help_capacity_factor": ("Part de la capacité de la rue gardée pendant les travaux : 0 %, la rue est "
                                   "fermée ; 50 %, une voie sur deux reste ouverte.",
                                   "Share of the street's capacity kept during the works: 0% closes it; 50% keeps one "
                                   "lane of two open."),
    "forms_help_value_of_time_eur_per_veh_h": (
        "Ce que vaut une heure passée au volant pour la collectivité (valeur tutélaire du temps, rapport Quinet "
        "2013) : la valeur du temps perdu, pas une dépense de la commune.",
        "What an hour at the wheel is worth to society (the French reference value of time, Quinet report 2013): "
        "the value of the time lost, not money the town spends."),
    "forms_help_gap": ("Plus petit : un calcul plus précis et plus long. 0,0001 suffit pour comparer des variantes ; "
                       "0,00001 quand deux variantes diffèrent de peu.",
                       "Smaller: a more precise and longer computation. 0.0001 is enough to compare variants; "
                       "0.00001 when two variants differ little."),
    # --- hour pickers
    "forms_from": ("de", "from"),
    "forms_to": ("à", "to"),
    "forms_hours_empty": ("la plage de {a} à {b} est vide (début = fin) : pour toute la journée, choisissez de "
                          "00:00 à 24:00", "the window from {a} to {b} is empty (start = end): for the whole day, "
                          "choose from 00:00 to 24:00"),
    "forms_hours_one_day": ("doit finir après son début, le même jour (de {a} à {b} passerait minuit)",
                            "must end after it starts, on the same day ({a} to {b} would pass midnight)"),
    "forms_hours_overnight": ("de {a} à {b} : passe minuit", "{a} to {b}: runs past midnight"),
    "forms_help_hours": ("Heures locales ; une plage qui finit avant de commencer passe minuit (22:00 à 05:00).",
                         "Local hours; a window that ends before it starts runs past midnight (22:00 to 05:00)."),
    "forms_help_close_hours": ("Heures locales de la fermeture, dans une même journée.",
                               "Local hours of the closure, within one day."),
    # --- day pickers
    "forms_day_0": ("lun.", "Mon"), "forms_day_1": ("mar.", "Tue"), "forms_day_2": ("mer.", "Wed"),
    "forms_day_3": ("jeu.", "Thu"), "forms_day_4": ("ven.", "Fri"), "forms_day_5": ("sam.", "Sat"),
    "forms_day_6": ("dim.", "Sun"),
    "forms_weekday_0": ("lundi", "Monday"), "forms_weekday_1": ("mardi", "Tuesday"),
    "forms_weekday_2": ("mercredi", "Wednesday"), "forms_weekday_3": ("jeudi", "Thursday"),
    "forms_weekday_4": ("vendredi", "Friday"), "forms_weekday_5": ("samedi", "Saturday"),
    "forms_weekday_6": ("dimanche", "Sunday"),
    "forms_days_none": ("choisissez au moins un jour", "choose at least one day"),
    # --- lighting schedule form
    "forms_light_off": ("Éteindre", "Switch off"),
    "forms_light_dim": ("Abaisser à", "Dim to"),
    "forms_light_dim_unit": ("% de la puissance", "% of full power"),
    "forms_light_keep": ("Garder allumé toute la nuit près de :", "Keep lit all night near:"),
    "forms_light_radius": ("rayon (m)", "radius (m)"),
    "forms_light_zones": ("Zones dessinées sur la carte gardées allumées : {n}", "Drawn zones kept lit: {n}"),
    "forms_light_zones_clear": ("Retirer les zones dessinées", "Remove the drawn zones"),
    "forms_light_daylight": ("« {what} » de {a} à {b} : en plein jour toute l'année, l'éclairage est déjà éteint à "
                             "ces heures ; cette règle n'économise rien (vouliez-vous des heures de nuit ?)",
                             "\"{what}\" from {a} to {b}: broad daylight all year round, the lamps are already off then; "
                             "this rule saves nothing (did you mean night hours?)"),
    "forms_light_whole_day": ("« {what} » de {a} à {b} : cette plage traverse toute la journée ; la nuit, "
                              "l'éclairage ne serait allumé que de {b} à {a} (vouliez-vous de {b} à {a} ?)",
                              "\"{what}\" from {a} to {b}: this window runs through the whole day; at night the lamps "
                              "would be lit only from {b} to {a} (did you mean from {b} to {a}?)"),
    "forms_light_whole_day_dim": ("« {what} » de {a} à {b} : cette plage traverse toute la journée ; la nuit, "
                                  "l'éclairage resterait à pleine puissance de {b} à {a} (vouliez-vous de {b} à {a} ?)",
                                  "\"{what}\" from {a} to {b}: this window runs through the whole day; at night the "
                                  "lamps would stay at full power from {b} to {a} (did you mean from {b} to {a}?)"),
    "forms_light_nothing": ("aucune règle : l'éclairage reste comme aujourd'hui",
                            "no rule: the lighting stays as it is"),
    "forms_light_no_place": ("cochez au moins un lieu près duquel garder l'éclairage",
                             "tick at least one place to keep lit"),
    "forms_light_radius_bad": ("le rayon doit être un nombre de mètres au-dessus de 0 et d'au plus {max} "
                               "(saisi : {value})",
                               "the radius must be a number of metres above 0 and at most {max} (entered: {value})"),
    "forms_light_level_bad": ("le niveau abaissé doit être entre 0 et 100 % (saisi : {value})",
                              "the dimmed level must be between 0 and 100 % (entered: {value})"),
    "forms_light_window": ("plage « {what} » : {why}", "window “{what}”: {why}"),
    "forms_light_advanced": ("Règles avancées chargées depuis un fichier : {n} règle(s) ({summary}). Le formulaire "
                             "ne sait pas les montrer ; elles sont gardées telles quelles et seront calculées.",
                             "Advanced rules loaded from a file: {n} rule(s) ({summary}). The form cannot show "
                             "them; they are kept as they are and will be run."),
    "forms_light_replace": ("Remplacer par le formulaire", "Replace with the form"),
    "forms_light_name_off": ("éteint {a}–{b}", "off {a}–{b}"),
    "forms_light_name_dim": ("abaissé {level} % {a}–{b}", "dimmed {level} % {a}–{b}"),
    "forms_light_name_all_night": ("toute la nuit", "all night"),
    "forms_baseline_all_night": ("Éclairage toute la nuit", "Lit all night"),
    "forms_baseline_advanced": ("Règles actuelles chargées depuis un fichier ({n} règle(s))",
                                "Current rules loaded from a file ({n} rule(s))"),
    "forms_flood_default": ("Prévision de crue par défaut du territoire", "The territory's default flood forecast"),
    "forms_flood_file": ("Paramètres de crue chargés depuis un fichier ({n})", "Flood parameters loaded from a file ({n})"),
    "forms_flood_saved": ("Variante de crue enregistrée « {name} »", "Saved flood variant “{name}”"),
    "forms_help_flood": ("La prévision dont les rues inondées sont fermées : celle du territoire, une prévision de "
                         "crue que vous avez enregistrée (famille « Anticipation des crues »), ou celle d'un "
                         "scénario chargé (JSON).", "The forecast whose flooded streets are closed: the territory's, "
                         "a flood forecast you saved (the flood family), or a loaded scenario's (JSON)."),
    "forms_help_rules": ("Ce que la variante change à l'éclairage : extinction, abaissement, lieux gardés allumés. "
                         "Une zone dessinée sur la carte (« Utiliser la zone dessinée ») reste allumée.",
                         "What the variant changes to the lighting: switch-off, dimming, places kept lit. A zone "
                         "drawn on the map (“Use the drawn zone”) stays lit."),
    "forms_help_baseline_rules": ("L'éclairage d'aujourd'hui, auquel la variante est comparée.",
                                  "Today's lighting, against which the variant is compared."),
    # --- place categories (lighting's "near", street-closure's destination)
    "forms_place_townhall": ("mairie", "town hall"), "forms_place_school": ("écoles", "schools"),
    "forms_place_health": ("santé", "health"), "forms_place_station": ("gare", "station"),
    "forms_place_sport": ("équipements sportifs", "sports venues"),
    "forms_place_library": ("bibliothèque", "library"), "forms_place_market": ("marché", "market"),
    "forms_opt_destination_centre": ("centre des bâtiments", "centre of the buildings"),
    "forms_place_culture": ("lieux culturels", "cultural venues"),
    "forms_place_worship": ("lieux de culte", "places of worship"),
    "forms_place_social": ("services sociaux", "social services"),
    "forms_place_public_service": ("services publics", "public services"),
    "forms_place_bus_stop": ("arrêts de bus", "bus stops"), "forms_place_parking": ("parkings", "car parks"),
    # --- selector options: forms_opt_<parameter>_<value>
    "forms_opt_engine_epanet": ("EPANET 2.2 (rapide)", "EPANET 2.2 (fast)"),
    "forms_opt_engine_wntr": ("WNTR (solveur Python, plus lent)", "WNTR (Python solver, slower)"),
    "forms_opt_rain_none": ("aucune pluie", "no rain"),
    "forms_opt_rain_design": ("pluie de projet", "design storm"),
    "forms_opt_rain_forecast": ("pluie prévue, heure par heure", "given rain forecast"),
    "forms_opt_rain_ensemble": ("ensemble de pluies possibles", "ensemble of possible rains"),
    "forms_opt_rain_observed": ("pluie tombée (rejeu)", "observed rain (hindcast)"),
    "forms_opt_rain_scaled": ("pluie tombée multipliée (rejeu)", "observed rain × scale (hindcast)"),
    "forms_opt_rain_observed-ensemble": ("ensemble autour de la pluie tombée (rejeu)",
                                         "ensemble around the observed rain (hindcast)"),
    "forms_opt_update_output": ("correction de l'erreur sur le débit mesuré", "output error on the measured flow"),
    "forms_opt_update_state": ("réservoir de routage recalé sur le débit mesuré", "routing store set to the measured flow"),
    "forms_opt_update_none": ("aucune (modèle seul)", "none (the model alone)"),
    "forms_opt_design_shape_uniform": ("uniforme", "uniform"),
    "forms_opt_design_shape_triangular": ("triangulaire (pic au premier tiers)", "triangular (peak at a third)"),
    "forms_opt_ensemble_base_climatology": ("pluies des saisons passées tirées au hasard (climatologie)",
                                            "past seasons' rain drawn at random (climatology)"),
    "forms_opt_ensemble_base_design": ("pluie de projet perturbée", "perturbed design storm"),
    "forms_opt_ensemble_base_forecast": ("pluie prévue perturbée", "perturbed rain forecast"),
    "forms_opt_day_method_peak+off-peak": ("heure de pointe et heures creuses (rapide)", "peak and off-peak (fast)"),
    "forms_opt_day_method_hourly": ("heure par heure (plus long)", "hour by hour (slower)"),
    "forms_opt_policy_fixed": ("jours fixes", "fixed days"),
    "forms_opt_policy_threshold": ("dès le seuil de remplissage", "at the fill threshold"),
    "forms_opt_policy_predictive": ("prédictive (capteurs)", "predictive (sensors)"),
    # --- help texts of the selectors
    "forms_help_destination": ("Lieu vers lequel chaque bâtiment roule (le premier de cette catégorie).",
                               "Place every building drives to (the first of that category)."),
    "forms_help_day_method": ("Heure de pointe et heures creuses : deux calculs (rapide) ; heure par heure : un "
                              "calcul par heure de la plage.", "Peak and off-peak: two assignments (fast); hour "
                              "by hour: one per hour of the window."),
    "forms_help_polygon": ("Dessinez la zone sur la carte (outil zone, Maj + glisser) puis « Utiliser la zone "
                           "dessinée » : toutes les rues dedans sont touchées.", "Draw the zone on the map (zone "
                           "tool, shift + drag), then « Use the drawn zone »: every street inside is affected."),
    "forms_help_detour_attraction": ("Part du temps de la déviation fléchée que les conducteurs ne ressentent plus "
                                     "(0 : les panneaux ne changent rien ; 0,3 par défaut).",
                                     "Share of the signed detour's free-flow time drivers stop perceiving (0: the "
                                     "signs change nothing; 0.3 by default)."),
    "forms_help_internal_scale": ("1 : la demande du modèle gravitaire, non calée ; « twin traffic calibrate » le "
                                  "cale sur les comptages.", "1: the gravity model's demand, uncalibrated; « twin "
                                  "traffic calibrate » fits it on counts."),
    "forms_help_through_scale": ("1 : le transit du modèle, non calé ; « twin traffic calibrate » le cale sur les "
                                 "comptages.", "1: the model's through traffic, uncalibrated; « twin traffic "
                                 "calibrate » fits it on counts."),
    "forms_help_rain": ("Pluie sur l'horizon : des prévisions, ou un rejeu avec la pluie réellement tombée. Un "
                        "ensemble tire aussi l'erreur du modèle : sa référence « sans pluie à venir » peut atteindre "
                        "un seuil dans une partie des tirages, quand « aucune pluie » est un seul calcul, sans cette "
                        "erreur.",
                        "Rain over the horizon: forecasts, or a hindcast with the rain that fell. An ensemble also "
                        "draws the model's error: its « no further rain » reference may reach a level in some of the "
                        "draws, where « no rain » is one run, without that error."),
    "forms_help_past_floods": ("Rejoue les prévisions émises 48, 36, 24 et 12 h avant chacune des plus fortes crues "
                               "lues à l'échelle avant cette prévision (celles dont l'horizon va 6 h au-delà du "
                               "pic), comme émises à l'époque, et les compare à ce "
                               "que l'échelle a lu : la fiabilité de la prévision sur ce territoire (quelques secondes "
                               "de calcul en plus).",
                               "Replays the forecasts issued 48, 36, 24 and 12 h before each of the highest floods the "
                               "gauge read before this forecast (those whose horizon reaches 6 h past the peak), as "
                               "issued then, and sets them against what the gauge "
                               "read: how far the forecast can be trusted here (a few seconds more)."),
    "forms_help_policy": ("Comment chaque tournée (aux jours de tournée) choisit les corbeilles à vider. Jours "
                          "fixes : toutes. Seuil : celles que leur capteur dit remplies au-delà du seuil. Prédictive : "
                          "celles que leur capteur et leur rythme de remplissage disent au-delà du seuil à la tournée "
                          "suivante. Les deux dernières achètent un capteur pour chaque corbeille qui n'en a pas, et "
                          "paient l'abonnement de tous.",
                          "How each round (on the round days) picks the bins it empties. Fixed days: all of them. "
                          "Threshold: those their sensor reports filled beyond the threshold. Predictive: those their "
                          "sensor and filling rate say will be beyond the threshold at the next round. The last two buy a sensor for "
                          "each bin without one, and pay every sensor's subscription."),
    "forms_fixed_rounds_todays_days": ("Tournées à jours fixes : les jours de tournée sont mis à ceux d'aujourd'hui "
                                       "({days}), pour ne comparer que ce que vous changez ; choisissez-en d'autres "
                                       "si vous le voulez.",
                                       "Fixed rounds: the round days are set to today's ({days}), so that only what you "
                                       "change is compared; pick others if you wish."),
    "forms_help_round_weekdays": ("Jours où passe la tournée dans la variante.", "Days with a round in the variant."),
    "forms_help_baseline_weekdays": ("Jours de tournée d'aujourd'hui.", "Today's round days."),
    # --- units written in words (a symbol — m, h, €/kWh, °C — is the same in both languages)
    "forms_unit_year": ("année", "year"), "forms_unit_days": ("jours", "days"), "forms_unit_bins": ("corbeilles", "bins"),
    "forms_unit_trucks": ("camions", "trucks"), "forms_unit_arrivals/space/day": ("arrivées par place et par jour", "arrivals per space and day"), "forms_unit_people": ("personnes", "people"),
    "forms_unit_€/kVA/yr": ("€/kVA/an", "€/kVA/yr"), "forms_unit_€/veh·h": ("€ par heure au volant", "€ per hour at the wheel"),
    # --- the advanced card (twin.app.builder_fields.EVERYDAY: what is not everyday is folded)
    "forms_advanced": ("Hypothèses avancées", "Advanced assumptions"),
    "forms_advanced_help": ("Prix, facteurs d'émission, constantes des modèles, tailles d'ensemble : les valeurs "
                            "par défaut sont sourcées ; à changer seulement en connaissance de cause.",
                            "Prices, emission factors, model constants, ensemble sizes: the defaults are sourced; "
                            "change them only knowingly."),
    # --- a variant's name made from its inputs (twin.app.builder_fields.variant_name)
    "forms_name_and": (" et ", " and "),
    "forms_name_streets_more": ("{first} et {n} autres rues", "{first} and {n} other streets"),
    "forms_name_closure": ("Fermeture {streets}", "Closure of {streets}"),
    "forms_name_works": ("Travaux {streets}", "Works on {streets}"),
    "forms_name_works_zone": ("zone dessinée", "drawn zone"),
    "forms_name_works_capacity": (" (capacité {pct} %)", " ({pct} % capacity)"),
    "forms_name_works_one_way": (" (un sens)", " (one direction)"),
    "forms_name_works_no_residents": (" (fermée à tous)", " (closed to all)"),
    "forms_name_works_detour": (" + déviation fléchée", " + signed detour"),
    "forms_name_closure_none": ("Fermeture de rues", "Street closure"),
    "forms_name_off": ("extinction {window}", "switch-off {window}"),
    "forms_name_dim": ("abaissement à {level} % {window}", "dimming to {level} % {window}"),
    "forms_name_lit_near": (", lieux gardés allumés", ", places kept lit"),
    "forms_name_lit_polygon": (", zone dessinée gardée allumée", ", drawn zone kept lit"),
    "forms_name_lighting_unchanged": ("Éclairage inchangé", "Lighting unchanged"),
    "forms_name_led_only": ("Tout LED", "All LED"),
    "forms_name_led_also": (" ; tout LED", "; all LED"),
    "forms_help_led_in_variant": ("Chaque lampe non LED de cette variante est remplacée par une LED (puissance et prix : "
                                  "hypothèses avancées), seule ou avec les règles ci-dessus : c'est elle qui est "
                                  "enregistrée et comparée.",
                                  "Every non-LED lamp of this variant is replaced by an LED one (power and price: "
                                  "advanced assumptions), alone or with the rules above: it is what is saved and "
                                  "compared."),
    "forms_help_led_retrofit": ("Un calcul de plus, à côté : toutes les lampes en LED, sans changer les horaires. Il "
                                "s'affiche sous les résultats mais n'est pas la variante enregistrée.",
                                "One more run beside it: every lamp LED, the hours unchanged. It shows under the "
                                "results but is not the variant saved."),
    "forms_name_lighting_file": ("Éclairage : règles du fichier", "Lighting: the file's rules"),
    "forms_name_bins": ("Collecte {policy} : {days}", "Collection {policy}: {days}"),
    "forms_name_bins_compacting": ("{n} compactantes", "{n} compacting"),
    "forms_name_bins_added": ("{n} corbeilles ajoutées", "{n} bins added"),
    "forms_name_bins_sensors_bought": ("capteurs achetés", "sensors bought"),
    # the parking family's fields
    "forms_help_remove_streets": ("Rues dont les places au bord du trottoir sont supprimées (travaux, terrasse, piste "
                                  "cyclable).", "Streets whose kerb spaces are removed (works, a terrace, a cycle lane)."),
    "forms_help_remove_hours": ("Quand ces places sont supprimées ; de 00:00 à 24:00 : toute la journée.",
                                "When those spaces are removed; 00:00 to 24:00: all day."),
    "forms_help_close_car_parks": ("Parkings fermés dans la variante (leurs noms sur la carte OpenStreetMap).",
                                   "Car parks closed in the variant (their names in OpenStreetMap)."),
    "forms_help_sensor_share": ("Part des places au bord du trottoir équipées d'un capteur (les plus proches du centre "
                                "d'abord) : le guidage ne montre que celles-là.",
                                "Share of kerb spaces with a bay sensor (nearest the centre first): guidance shows only "
                                "those."),
    "forms_help_guidance_share": ("Part des conducteurs qu'une application guide vers la place libre la plus proche "
                                  "que voient les capteurs.", "Share of drivers an app guides to the nearest free space "
                                  "the sensors see."),
    "forms_help_turnover": ("Hypothèse tant que des capteurs ne la mesurent pas : combien de voitures se garent sur une "
                            "place dans la journée.", "An assumption until sensors measure it: how many cars park in "
                            "one space over the day."),
    "forms_help_period": ("Heures simulées (la nuit peut être incluse : 22:00 à 06:00).",
                          "Hours simulated (across midnight allowed: 22:00 to 06:00)."),
    "forms_help_add_car_park": ("Un nouveau parking : la rue près de laquelle il ouvre, son nombre de places et son "
                                "tarif horaire (vide : gratuit). Cases vides : pas de nouveau parking.",
                                "A new car park: the street it opens on, its spaces and its hourly price (empty: "
                                "free). Empty boxes: no new car park."),
    "forms_help_street_prices": ("Choisissez une rue et son tarif horaire ; une ligne de plus s'ouvre une fois "
                                 "celle-ci remplie. Aucune ligne : le stationnement reste gratuit.",
                                 "Pick a street and its hourly price; one more row opens once this one is filled. "
                                 "No row: parking stays free."),
    "forms_help_car_park_prices": ("Choisissez un parking et son tarif horaire ; une ligne de plus s'ouvre une fois "
                                   "celle-ci remplie. Aucune ligne : les tarifs d'aujourd'hui.",
                                   "Pick a car park and its hourly price; one more row opens once this one is filled. "
                                   "No row: today's prices."),
    "forms_help_occupancy_start": ("Part des places déjà prises au début de la période simulée.",
                                   "Share of the spaces already taken when the simulated hours begin."),
    "forms_car_park_placeholder": ("Tapez 3 lettres du nom du parking…", "Type 3 letters of the car park's name…"),
    "forms_no_car_park": ("Aucun parking de ce nom sur le territoire", "No car park of that name in the territory"),
    "forms_no_more_car_parks": ("Tous les parkings sont choisis", "Every car park is chosen"),
    "forms_name_parking_works": ("Places supprimées : {streets}", "Spaces removed: {streets}"),
    "forms_name_parking_sensors": ("Capteurs {sensors} % et guidage {guided} %", "Sensors {sensors} % and guidance {guided} %"),
    "forms_name_parking": ("Stationnement : variante", "Parking: variant"),
    "forms_name_parking_hours": (" ({hours})", " ({hours})"),
    "forms_name_parking_closed": ("Parking fermé : {names}", "Car park closed: {names}"),
    "forms_name_parking_new": ("Nouveau parking : {near} ({spaces} places)", "New car park: {near} ({spaces} spaces)"),
    "forms_name_parking_prices": ("Tarifs modifiés", "Prices changed"),
    "forms_name_parking_zone": ("zone dessinée", "zone drawn"),
    "forms_name_no_day": ("aucun jour", "no day"),
    "forms_unit_cabinets": ("armoires", "cabinets"),
    # a time the model takes in UTC, the page shows and reads on the territory's clock (twin.app.forms_time)
    "forms_unit_UTC": ("heure de Paris", "Paris time"),
    "forms_unit_L/person/day": ("L/personne/jour", "L/person/day"),
    "forms_unit_bursts/100 km/year": ("casses/100 km/an", "bursts/100 km/year"),
    # the water-break family's fields
    "forms_help_broken_street": ("La rue sous laquelle la conduite casse (sa plus longue conduite, sur le réseau "
                                 "SYNTHÉTIQUE posé sous les rues).", "The street under which the main breaks (its "
                                 "longest pipe, on the SYNTHETIC network laid under the streets)."),
    "forms_help_break_time": ("Heure de la casse, HH:MM.", "Time of the break, HH:MM."),
    "forms_help_isolation_delay_h": ("Du signalement à la fermeture des vannes (trajet, recherche des vannes) ; 0 : "
                                     "travaux prévus.", "From the break until the valves are closed (travel, "
                                     "finding the valves); 0: planned works."),
    "forms_help_repair_h": ("Durée pendant laquelle le tronçon reste fermé.", "How long the segment stays shut."),
    "forms_help_break_area_share": ("Ouverture de la casse en part de la section (1 : conduite coupée net ; 0 : "
                                    "travaux, sans fuite). 0,5 est une grosse casse ; une casse moyenne signalée "
                                    "débite environ 12 m³/h sous 5 bar (Lambert 1994), soit 0,02 de la section "
                                    "d'une conduite de 100 mm.",
                                    "Opening of the break as a share of the pipe's section (1: cut through; 0: works, "
                                    "no leak). 0.5 is a large break; an average reported main burst runs about "
                                    "12 m³/h at 5 bar (Lambert 1994), 0.02 of a 100 mm pipe's section."),
    "forms_name_water_break": ("Casse sous {street}", "Break under {street}"),
    "forms_help_remove_zone": ("Dessinez un rectangle sur la carte, puis « Utiliser la zone dessinée » : les places "
                               "de toutes les rues qu'il touche sont supprimées.",
                               "Draw a rectangle on the map, then « Use the drawn zone »: the spaces of every street "
                               "it touches are removed."),
    # the water-pressure family's fields
    "forms_help_night_pressure_m": ("Pression que le réducteur laisse passer aux heures de nuit, en mètres d'eau "
                                    "(10 m = 1 bar). Sur le réseau SYNTHÉTIQUE, un réducteur posé à la sortie du "
                                    "château d'eau, qui donne 45 m aujourd'hui ; 20 m est la pression de service.",
                                    "Pressure the valve lets through during the night hours, in metres of water "
                                    "(10 m = 1 bar). On the SYNTHETIC network, a valve set at the water tower's "
                                    "outlet, which gives 45 m today; 20 m is the service pressure."),
    "forms_help_day_pressure_m": ("Vide : le jour reste comme aujourd'hui.", "Empty: the day stays as today."),
    "forms_help_night_hours": ("Heures où la pression est baissée (la consommation est alors la plus faible).",
                               "Hours the pressure is lowered (when water use is lowest)."),
    "forms_help_investment_eur": ("Vide : 25 000 € pour un réducteur neuf avec sa chambre et son horloge "
                                  "(hypothèse du projet : remplacez-la par un devis).",
                                  "Empty: €25,000 for a new valve with its chamber and time controller (an "
                                  "assumption of the project: replace it with a quote)."),
    "forms_help_leakage_share": ("1 − le rendement du réseau : un rendement de 80 % donne 0,20 (en France, environ "
                                 "un cinquième de l'eau produite est perdu, observatoire SISPEA).",
                                 "1 − the network's yield: a yield of 80 % gives 0.20 (in France about a fifth of "
                                 "the water produced is lost, SISPEA observatory)."),
    "forms_name_water_pressure": ("Nuit à {pressure} m de {hours}", "Night at {pressure} m, {hours}"),
    # the water-meters family's fields
    "forms_help_districts": ("Le réseau est découpé en secteurs, chacun alimenté par un compteur télérelevé ; les "
                             "autres vannes entre secteurs sont fermées. Vide : un secteur par 1 500 habitants ; 1 : un "
                             "seul compteur pour toute la commune.",
                             "The network is cut into districts, each fed through one remote-read meter; the other "
                             "valves between districts are shut. Empty: one district per 1,500 people; 1: a single "
                             "meter for the whole commune."),
    "forms_help_survey_interval_years": ("Ce que fait la commune aujourd'hui : une fuite que personne ne signale "
                                         "court jusqu'à la prochaine campagne (la moitié de l'intervalle en moyenne). "
                                         "Les pertes d'aujourd'hui viennent du rendement : les chercher plus souvent "
                                         "veut dire des fuites plus fréquentes pour les expliquer.",
                                         "What the commune does today: a leak nobody reports runs until the next "
                                         "campaign (half the interval on average). Today's losses come from the "
                                         "yield: surveying more often means more frequent leaks to explain them."),
    "forms_help_meter_cost_eur": ("Compteur électromagnétique posé, avec sa chambre et sa télétransmission "
                                  "(hypothèse du projet : remplacez-la par un devis).",
                                  "An electromagnetic meter installed, with its chamber and telemetry (an assumption "
                                  "of the project: replace it with a quote)."),
    "forms_unit_leaks/100 km/year": ("fuites/100 km/an", "leaks/100 km/year"),
    "forms_unit_leaks/1000 connections/year": ("fuites/1 000 branchements/an", "leaks/1,000 connections/year"),
    "forms_unit_alarms/district/year": ("alarmes/secteur/an", "alarms/district/year"),
    "forms_unit_km/day": ("km/jour", "km/day"), "forms_unit_€/km": ("€/km", "€/km"),
    "forms_unit_years": ("ans", "years"), "forms_unit_€/year": ("€/an", "€/year"),
    "forms_name_water_meters": ("{n} secteurs comptés", "{n} metered districts"),
    "forms_name_water_meters_auto": ("Secteurs comptés", "Metered districts"),
    "forms_name_water_pressure_none": ("Pression : choisir la consigne", "Pressure: choose the setpoint"),
    "forms_name_water_break_none": ("Casse : choisir la rue", "Break: choose the street"),
}
