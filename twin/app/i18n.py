"""Interface strings in French (first) and English, and numbers formatted the French way.

French typography (Imprimerie nationale): thousands separated by a narrow no-break space, a
decimal comma, a no-break space before the unit and before ``%``.
"""

from __future__ import annotations

import math

LANGS = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space: the French thousands separator
NBSP = "\u00a0"

STRINGS = {
    "title": ("twin — jumeau numérique : {name}", "twin — digital twin: {name}"),
    "map": ("Carte", "Map"),
    "scenario": ("Scénario", "Scenario"),
    "compare": ("Comparer", "Compare"),
    "workshop": ("Atelier", "Workshop"),
    "family": ("Famille de scénario", "Scenario family"),
    "run": ("Lancer", "Run"),
    "running": ("Calcul en cours…", "Running…"),
    "done": ("Terminé en {s} s", "Done in {s} s"),
    "done_under": ("moins de 0,1", "under 0.1"),
    "res_stale": ("Résultats des réglages d'avant vos changements : cliquez sur « Lancer » pour les mettre à jour.",
                  "These results are from the settings before your changes: click « Run » to update them."),
    "done_again": ("Terminé en {s} s (ces paramètres étaient déjà calculés : résultat repris)",
                   "Done in {s} s (these parameters were already run: their result is shown again)"),
    "hindcast_note": ("Rejeu avec la pluie réellement tombée (pluie parfaite, connue après coup) : ce n'est pas une "
                      "prévision. Une prévision ne connaît pas la pluie à venir.",
                      "Hindcast with the rain that really fell (perfect rain): not a forecast. A forecast does not "
                      "know the rain to come."),
    "variant_name": ("Nom de la variante", "Variant name"),
    "territory_own": ("selon le territoire (sa configuration)", "the territory's own (its configuration)"),
    "territory_own_time": ("selon le territoire : {time}", "the territory's own: {time}"),
    "save": ("Enregistrer la variante", "Save the variant"),
    "save_as": ("Enregistrer sous le nom", "Save under the name"),
    "save_as_placeholder": ("celui du calcul si vide", "the run's own if empty"),
    "level_reached": ("atteint", "reached"),
    "level_not_reached": ("non atteint", "not reached"),
    "save_name_replay": (", rejeu{over} sur la pluie tombée, {at}", ", replay{over} on the rain that fell, {at}"),
    "save_name_scaled": (", pluie tombée × {scale}{over} depuis le {at}", ", observed rain × {scale}{over} from {at}"),
    "save_name_forecast": (", prévision{over} du {at}", ", forecast{over} issued {at}"),
    "save_name_horizon": (" sur {h}\u00a0h", " over {h} h"),
    "save_name_levels": (", seuils {levels}\u00a0m", ", levels {levels} m"),
    "saved": ("Variante « {name} » enregistrée : elle est visible dans « Comparer » par toute personne qui ouvre "
              "ce jumeau numérique", "Variant “{name}” saved: anyone who opens this twin sees it in “Compare”"),
    "save_stale": ("Les résultats affichés sont ceux des réglages d'avant vos changements : cliquez sur « Lancer » "
                   "avant d'enregistrer", "The results shown are those of the settings before your changes: click "
                   "“Run” before saving"),
    "save_same_settings": ("Ces réglages sont déjà proposés sous « {name} » : votez pour elle dans l'onglet Atelier "
                           "plutôt que de l'enregistrer une seconde fois",
                           "These settings are already proposed as “{name}”: vote for it in the Workshop tab rather "
                           "than saving it a second time"),
    "save_name_taken": ("Une variante s'appelle déjà « {name} » : choisissez un autre nom pour l'enregistrer",
                        "A variant is already called “{name}”: choose another name to save it"),
    "nothing_to_save": ("Lancez d'abord un scénario", "Run a scenario first"),
    "save_wait_run": ("Le calcul est en cours : enregistrez la variante une fois ses résultats affichés",
                      "The run is still going: save the variant once its results are shown"),
    "upload": ("Charger un scénario (JSON)", "Load a scenario (JSON)"),
    "loaded": ("Scénario « {family} » chargé depuis {file}", "Scenario “{family}” loaded from {file}"),
    "calendar_upload": ("Calendrier de réservations (.ics ou tableur .csv)", "Booking calendar (.ics or spreadsheet .csv)"),
    "choose_file": ("Choisir un fichier…", "Choose a file…"),
    "calendar_loaded": ("Calendrier « {file} » chargé : {n} réservations en {year}, du {first} au {last}. "
                        "Il s'applique à chaque bâtiment chauffé du calcul (tous, si « Bâtiments » est vide) : "
                        "pour le seul bâtiment qu'il décrit, choisissez-le dans « Bâtiments »",
                        "Calendar “{file}” loaded: {n} bookings in {year}, from {first} to {last}. It applies to "
                        "every heated building of the run (all of them when “Buildings” is empty): for the one "
                        "building it describes, choose it in “Buildings”"),
    "calendar_loaded_partial": (". Attention : hors de ces dates, rien n'est réservé, et les bâtiments qui le "
                                "suivent sont comptés vides (hors gel) : donnez le calendrier de l'année entière",
                                ". Beware: outside these dates nothing is booked, and the buildings following it "
                                "count as empty (frost protection): give the whole year's calendar"),
    "inventory_upload": ("Inventaire des lampadaires (.csv, .geojson)", "Street-lamp inventory (.csv, .geojson)"),
    "inventory_loaded": ("Inventaire « {file} » chargé : {n} lampadaires, à la place des lampadaires générés",
                         "Inventory “{file}” loaded: {n} lamps, instead of the generated ones"),
    "bad_file": ("Fichier refusé : {why}", "File refused: {why}"),
    "too_big": ("{file} : {size} Mo, plus que la limite de {limit} Mo par fichier",
                "{file}: {size} MB, over the limit of {limit} MB per file"),
    "not_utf8": ("{file} : ce n'est pas un fichier texte UTF-8 (depuis Excel : « Enregistrer sous » → "
                 "« CSV UTF-8 (délimité par des virgules) »)",
                 "{file}: not a UTF-8 text file (from Excel: “Save as” → “CSV UTF-8 (Comma delimited)”)"),
    "not_json": ("{file} : ce n'est pas un fichier JSON ({why})", "{file}: not a JSON file ({why})"),
    "too_deep": ("{file} : JSON imbriqué sur plus de {depth} niveaux (un scénario en a quelques-uns)",
                 "{file}: JSON nested more than {depth} levels deep (a scenario has a few)"),
    "not_object": ("{file} : un scénario est un objet JSON {{\"family\": …, paramètres…}}",
                   "{file}: a scenario file is a JSON object {{\"family\": …, parameters…}}"),
    "error": ("Erreur : {why}", "Error: {why}"),
    "run_failed": ("Le calcul a échoué ({why}) ; le détail est dans le journal du serveur. Vous pouvez relancer.",
                   "The run failed ({why}); the details are in the server's log. You can run again."),
    "layers": ("Couches", "Layers"),
    "streets": ("Rues", "Streets"),
    "buildings": ("Bâtiments", "Buildings"),
    "water": ("Cours d'eau", "Rivers"),
    "bins": ("Corbeilles", "Bins"),
    "lamps": ("Lampadaires", "Street lamps"),
    "sensors": ("Capteurs", "Sensors"),
    "places": ("Lieux publics", "Public places"),
    "selected_streets": ("Rues sélectionnées sur la carte : {names}", "Streets selected on the map: {names}"),
    # a street clicked in part: only the segments clicked are taken, said before « Utiliser la sélection »
    "selected_streets_whole": (". « Utiliser la sélection » ne prend que les tronçons sélectionnés : {streets}.",
                               ". “Use the selection” takes only the segments selected: {streets}."),
    "selected_street_part": ("{street} {picked}\u00a0m sur {whole}\u00a0m",
                             "{street} {picked}\u00a0m of {whole}\u00a0m"),
    # a part of a street in the pickers, the variant's name and the cards (twin.territory.street_parts)
    "street_part": ("{street} (tronçon de {length}\u00a0m)", "{street} ({length}\u00a0m segment)"),
    "street_part_short": ("{street} (tronçon)", "{street} (segment)"),
    "street_part_between": (", entre {a} et {b}", ", between {a} and {b}"),
    "street_part_at": (", au croisement de {a}", ", at {a}"),
    "use_selection": ("Utiliser la sélection", "Use the selection"),
    "selection_added_one": ("1 rue ou tronçon ajouté aux rues du scénario", "1 street or segment added to the "
                            "scenario's streets"),
    "selection_added_many": ("{n} rues ou tronçons ajoutés aux rues du scénario (une rue entière couvre ses tronçons)",
                             "{n} streets or segments added to the scenario's streets (a whole street covers its "
                             "segments)"),
    "selection_replaced_example": ("Rues sélectionnées prises à la place de l'exemple du formulaire ({example})",
                                   "Selected streets taken in place of the form's example ({example})"),
    "selection_already": ("Les rues sélectionnées sont déjà dans le scénario",
                          "The selected streets are already in the scenario"),
    "select_streets_first": ("Aucune rue sélectionnée : cliquez d'abord des rues sur la carte (onglet « Carte »)",
                             "No street selected: click streets on the map first (“Map” tab)"),
    "use_zone": ("Utiliser la zone dessinée", "Use the drawn zone"),
    "no_zone": ("Dessinez d'abord une zone sur la carte (outil zone, Maj + glisser)",
                "Draw a zone on the map first (zone tool, shift + drag)"),
    "zone_used": ("Zone dessinée appliquée au scénario", "Drawn zone applied to the scenario"),
    "zone_not_used": ("« {family} » ne prend pas de zone", "“{family}” takes no zone"),
    "pick": ("Variantes à comparer (4 au plus)", "Variants to compare (at most 4)"),
    "reopen_pick": ("Variante à rouvrir (carte et séries)", "Variant to reopen (map and series)"),
    "reopen": ("Rouvrir dans Scénario", "Reopen in Scenario"),
    "other_territory": ("La variante « {name} » a été calculée sur le territoire {territory} : rouvrez-la dans "
                        "l'application de ce territoire", "Variant “{name}” was run on territory {territory}: "
                        "reopen it in that territory's app"),
    "baseline": ("situation actuelle", "baseline"),
    "baseline_no_rain": ("sans pluie à venir", "no further rain"),
    "no_variant": ("Aucune variante enregistrée : lancez un scénario puis enregistrez-le.",
                   "No saved variant yet: run a scenario and save it."),
    "financial": ("Financier", "Financial"),
    "environmental": ("Environnemental", "Environmental"),
    "human": ("Humain", "Human"),
    "pin": ("Épingler", "Pin"),
    "unpin": ("Désépingler", "Unpin"),
    "left": ("◀", "◀"),
    "right": ("▶", "▶"),
    "discard": ("Écarter", "Discard"),
    # the workshop card's buttons, said on hover (« ◀ ▶ », « Écarter » read as riddles)
    "pin_help": ("Mettre cette variante en tête du mur", "Put this variant first on the wall"),
    "left_help": ("Avancer cette variante d'une place sur le mur", "Move this variant one place earlier on the wall"),
    "right_help": ("Reculer cette variante d'une place sur le mur", "Move this variant one place later on the wall"),
    "discard_help": ("Retirer cette variante du mur de l'atelier (elle reste enregistrée)",
                     "Take this variant off the workshop's wall (it stays saved)"),
    "report": ("Rapport (HTML)", "Report (HTML)"),
    "report_pdf": ("Rapport (PDF)", "Report (PDF)"),
    "report_title": ("Comparaison de variantes — {name}", "Comparison of variants — {name}"),
    "assumptions": ("Hypothèses", "Assumptions"),
    "provenance": ("Provenance des données", "Data provenance"),
    "prior_note": ("A PRIORI — sans {what} : ces chiffres viennent de références publiées et d'hypothèses, pas "
                   "de mesures du territoire ; {band}",
                   "A PRIORI — without {what}: these figures come from published references and assumptions, not "
                   "from the territory's measurements; {band}"),
    "prior_band": ("leur fourchette (5 à 95 %) dit l'incertitude avant tout capteur.",
                   "their range (5 to 95 %) is the uncertainty before any sensor."),
    # a family on priors whose cards carry no range: the note promised one that was nowhere shown
    "prior_no_band": ("ce calcul ne chiffre pas leur incertitude : lisez-les comme des ordres de grandeur.",
                      "this run does not put a figure on their uncertainty: read them as orders of magnitude."),
    "prior_missing": ("capteur", "sensors"), "prior_missing_heating": ("compteur de gaz", "gas meters"),
    "prior_missing_flood": ("station de débit", "a discharge gauge"),
    "prior_missing_flood-detours": ("comptages calés", "calibrated traffic counts"),
    "prior_missing_bins": ("capteur de remplissage", "fill sensors"),
    "prior_missing_lighting": ("inventaire des lampadaires", "a lamp inventory"),
    "prior_missing_roadworks": ("comptages calés", "calibrated traffic counts"),
    "prior_missing_street-closure": ("destination cartographiée", "a mapped destination"),
    "prior_missing_parking": ("capteur de stationnement", "parking sensors"),
    "prior_missing_water-break": ("plan du réseau d'eau", "the water network's plan"),
    "prior_missing_water-pressure": ("plan du réseau d'eau", "the water network's plan"),
    "prior_missing_water-meters": ("plan du réseau ni historique de fuites", "the network's plan or leak history"),
    "provenance_attribution": ("Attribution", "Attribution"),
    "provenance_osm_base": ("Extrait OpenStreetMap", "OpenStreetMap extract"),
    "provenance_source_sha256": ("Empreinte SHA-256 du fichier source", "SHA-256 of the source file"),
    "provenance_licence": ("Licence", "Licence"),
    "provenance_lamp_seed": ("Graine des lampadaires générés (SYNTHÉTIQUES)", "Seed of the generated (SYNTHETIC) lamps"),
    "res_beyond_record": ("Hauteur au-delà de toutes celles qui ont servi à caler la courbe de tarage (au plus "
                          "{top} m) : la courbe est extrapolée, la hauteur prévue et les lieux inondés sont très "
                          "incertains.",
                          "Stage beyond every stage the rating curve was fitted on (at most {top} m): the curve is "
                          "extrapolated, the forecast stage and the places flooded are very uncertain."),
    "res_synthetic_gauges": ("Stations SYNTHÉTIQUES : la pluie, le débit et la hauteur de ce territoire de "
                             "démonstration sont générés par le modèle même qui prévoit (GR4H) ; son calage et ses "
                             "scores de rejeu retrouvent ce modèle, ils ne le valident pas.",
                             "SYNTHETIC gauges: this demonstration territory's rain, discharge and stage are generated "
                             "by the very model that forecasts them (GR4H); its calibration and replay scores recover "
                             "that model, they do not validate it."),
    "flood_observed_synthetic": ("niveau « observé » (SYNTHÉTIQUE)", "\"observed\" stage (SYNTHETIC)"),
    "res_synthetic_meters": ("Calé sur des compteurs SYNTHÉTIQUES : {k} des {n} compteurs de gaz sont générés "
                             "(historique de démonstration) ; les économies illustrent la méthode, pas vos bâtiments.",
                             "Calibrated on SYNTHETIC meters: {k} of the {n} gas meters are generated (a "
                             "demonstration history); the savings illustrate the method, not your buildings."),
    "synthetic_note": ("Historique de capteurs SYNTHÉTIQUE (généré, graine {seed}) : les valeurs illustrent "
                       "la méthode, ce ne sont pas des mesures.",
                       "SYNTHETIC sensor history (generated, seed {seed}): the values illustrate the method, "
                       "they are not measurements."),
    "band": ("bande 5–95 %", "5–95 % band"),
    # the members' 5th to 95th percentiles (twin.app.cards.member_band), on a card: nine draws in ten in between
    "band_card": ("entre {low} et {high} dans 9 tirages sur 10", "between {low} and {high} in 9 draws out of 10"),
    "stranded_flag": ("Attention — {label} : {value}. {omitted} ne les comptent pas : leur baisse n'est pas "
                      "une amélioration.", "Warning — {label}: {value}. {omitted} leave them out: their fall is "
                      "not an improvement."),
    "omits_stranded": ("sans les {label}", "without the {label}"),
    "pays_back": ("se rembourse", "pays back"),
    "pays_back_beyond_life": ("ne se rembourse pas avant la fin de vie supposée de l'équipement ({life} ans)",
                              "does not pay back within the equipment's assumed life ({life} years)"),
    "own_baselines": ("Ces variantes n'ont pas la même situation de référence : chaque écart est donné par rapport "
                      "à la sienne, et la case mise en avant est celle du meilleur écart, pas de la meilleure valeur.",
                      "These variants do not share a baseline: each change is against its own, and the cell "
                      "highlighted holds the best change, not the best value."),
    "vs_baseline": ("vs situation actuelle", "vs baseline"),
    "vs_no_rain": ("vs sans pluie à venir", "vs no further rain"),
    "vs_no_rain_uncertain": ("vs sans pluie à venir (avec la même incertitude du modèle)",
                             "vs no further rain (with the same model uncertainty)"),
    "payback_nothing_invested": ("sans investissement", "nothing invested"),
    "lead_already_reached": ("déjà atteint", "already reached"),
    "card_note_peak_stage_m": ("médiane des pics des tirages, chacun à son heure : au-dessus du pic de la "
                               "courbe médiane du graphique", "median of the draws' peaks, each at its own hour: above "
                               "the peak of the chart's median curve"),
    "card_note_drive_time_cost_eur_window": ("valeur tutélaire du temps (euros 2010) : pas une dépense de la commune",
                                             "a reference value of time (2010 euros): not money the town spends"),
    "card_note_one_run": ("un seul calcul, sans tirages : sa hauteur maximale", "one run, no draws: its highest level"),
    "card_note_peak_stage_p95_m": ("95 % des tirages culminent plus bas", "95 % of the draws peak lower"),
    "card_note_beyond_record": ("hauteur extrapolée loin au-delà de la courbe de tarage (calée jusqu'à "
                                "{top}\u00a0m) : un ordre de grandeur, pas une prévision", "stage extrapolated far beyond the rating "
                                "curve (fitted up to {top}\u00a0m): an order of magnitude, not a forecast"),
    "card_note_level_beyond_record": ("{level} loin au-delà de la courbe de tarage (calée jusqu'à {top}\u00a0m) : "
                                      "le franchir, et quand, est extrapolé, un ordre de grandeur", "{level} far "
                                      "beyond the rating curve (fitted up to {top}\u00a0m): crossing it, and when, is "
                                      "extrapolated, an order of magnitude"),
    "card_note_level_above_record": ("{level} au-dessus de la courbe de tarage (calée jusqu'à {top}\u00a0m) : "
                                     "le franchir, et quand, est un peu extrapolé", "{level} above the rating curve "
                                     "(fitted up to {top}\u00a0m): crossing it, and when, is slightly extrapolated"),
    "card_note_rising_at_end": ("l'eau monte encore à la fin de l'horizon ({horizon}\u00a0h) dans {pct}\u00a0% des "
                                "tirages : un minimum, le pic viendra après (allongez l'horizon)", "the water still "
                                "rises at the horizon's end ({horizon}\u00a0h) in {pct}\u00a0% of the draws: a minimum, "
                                "the peak comes later (lengthen the horizon)"),
    "card_note_rising_at_end_probability": ("sur l'horizon ({horizon}\u00a0h) seulement : dans {pct}\u00a0% des "
                                            "tirages, l'eau monte encore à sa fin sans avoir atteint le seuil, "
                                            "qu'elle peut franchir après", "within the horizon ({horizon}\u00a0h) "
                                            "only: in {pct}\u00a0% of the draws the water still rises at its end "
                                            "below the level, and may cross it later"),
    "card_note_rising_at_end_probability_one_run": ("sur l'horizon ({horizon}\u00a0h) seulement : l'eau monte encore "
                                                    "à sa fin, le seuil peut être franchi après", "within the horizon "
                                                    "({horizon}\u00a0h) only: the water still rises at its end, the "
                                                    "level may be crossed later"),
    "card_note_rising_at_end_one_run": ("l'eau monte encore à la fin de l'horizon ({horizon}\u00a0h) : un minimum, le "
                                        "pic viendra après (allongez l'horizon)", "the water still rises at the "
                                        "horizon's end ({horizon}\u00a0h): a minimum, the peak comes later (lengthen "
                                        "the horizon)"),
    # a flood's counts, each at its own peak: « inondés » at the median, « à alerter » at the 90th percentile
    "card_note_flood_count_one_run": ("un seul calcul, sans tirages : au pic de ce calcul",
                                      "one run, no draws: at its peak"),
    "card_note_buildings_flooded_draws": ("sous l'eau au pic médian des tirages (la moitié montent plus haut)",
                                          "under water at the draws' median peak (half of them rise higher)"),
    "card_note_buildings_to_alert_draws": ("sous l'eau au pic que seuls 10 % des tirages dépassent : la marge de "
                                           "précaution", "under water at the peak only 10 % of the draws exceed: the "
                                           "precaution margin"),
    "card_note_buildings_to_alert_draws_at": ("sous l'eau au pic que seuls 10 % des tirages dépassent, {height}\u00a0m "
                                              "à l'échelle : la marge de précaution", "under water at the peak only "
                                              "10 % of the draws exceed, {height}\u00a0m at the gauge: the precaution "
                                              "margin"),
    "card_note_people_to_alert_draws_at": ("habitants des bâtiments à alerter (pic que seuls 10 % des tirages "
                                           "dépassent, {height}\u00a0m à l'échelle)", "residents of the buildings to "
                                           "alert (the peak only 10 % of the draws exceed, {height}\u00a0m at the "
                                           "gauge)"),
    "card_note_people_to_alert_draws": ("habitants des bâtiments à alerter (pic que seuls 10 % des tirages dépassent)",
                                        "residents of the buildings to alert (the peak only 10 % of the draws exceed)"),
    "card_note_streets_to_close_draws": ("sous l'eau au pic médian des tirages", "under water at the draws' median peak"),
    "card_note_buildings_flooded_prior": ("nombre attendu : chaque bâtiment compte pour la part des tirages qui "
                                          "l'inondent", "expected number: each building counts for the share of draws "
                                          "that flood it"),
    "card_note_buildings_to_alert_prior": ("inondés dans au moins 1 tirage sur 10", "flooded in at least 1 draw in 10"),
    "card_note_people_to_alert_prior": ("habitants des bâtiments inondés dans au moins 1 tirage sur 10",
                                        "residents of the buildings flooded in at least 1 draw in 10"),
    "card_note_streets_to_close_prior": ("sous l'eau dans au moins la moitié des tirages",
                                         "under water in at least half of the draws"),
    # « lieux sensibles éclairés 86,4 % » read as « 86 % of the schools stay lit » with nothing lit at all: the
    # figure is a share of hours (twin.scenarios.lighting.USE_WINDOWS, tested against this text)
    "card_note_sensitive_lit_share_pct": (
        "part des heures de nuit où ces lieux servent (écoles 7 h–19 h, sport 8 h–23 h, gare 5 h–1 h, grands axes "
        "5 h–0 h) avec les lampadaires proches allumés",
        "share of the night hours these places are in use (schools 7:00–19:00, sport 8:00–23:00, station "
        "5:00–1:00, main roads 5:00–0:00) with the lamps near them lit"),
    "card_note_corridor_darkness_h": (
        "nuit noire moyenne d'un lampadaire au bord de l'eau ou d'un espace vert : plus, c'est mieux pour la faune",
        "mean dark hours of a lamp by water or green space: more is better for wildlife"),
    "clock_time": ("le {date} vers {hour} h ({zone})", "on {date} around {hour}:00 ({zone})"),
    "local_zone": ("heure de Paris", "Paris time"),
    "over_other_draws_card": ("médianes sur des tirages différents ({p} % contre {q} % sans pluie à venir) : pas "
                              "d'écart comparable", "medians over other draws ({p} % against {q} % with no further "
                              "rain): no comparable change"),
    "over_other_draws": ("médiane sur {p} % des tirages contre {q} % : pas comparable",
                         "median over {p} % of the draws against {q} %: not comparable"),
    "lead_few_draws": ("médiane de {n} tirages seulement : heure très incertaine",
                       "median of only {n} draws: a very uncertain time"),
    "lead_if_reached_few": ("s'il est atteint : vers {time} ; {p} % des tirages l'atteignent, {n} seulement : heure "
                            "très incertaine", "if reached: about {time}; {p} % of the draws reach it, only {n}: a "
                            "very uncertain time"),
    "lead_few_value": ("trop peu de tirages", "too few draws"),
    "lead_few_change": ("pas d'écart : trop peu de tirages l'atteignent", "no change: too few draws reach it"),
    "cell_flood_peak_beyond": ("pas de pic sur l'horizon : l'eau monte encore à sa fin",
                               "no peak within the horizon: the water still rises at its end"),
    "cell_flood_never": ("atteint par aucun tirage sur l'horizon", "reached by no draw within the horizon"),
    "lead_if_reached": ("s'il est atteint : {p} % des tirages l'atteignent", "if reached: {p} % of the draws reach it"),
    "res_unchanged_no_rain": ("le même sans pluie à venir", "the same with no further rain"),
    "language": ("Langue", "Language"),
    "measured": ("mesuré", "measured"),
    "modelled": ("modélisé", "modelled"),
    # the result views (twin/app/views): map captions, hover values, series titles, axes and legends.
    # A few English hovers keep Python's number format (``{value:.1f}``) where the French one has
    # fmt_number's: the views pass both the raw number and its French rendering.
    "series_baseline": ("référence", "{name}"),
    "roadworks_caption": ("Rues : variation du débit à l'heure de pointe (rouge : plus, vert : moins ; "
                          "noir : fermée)", "Streets: peak-hour flow change (red: more, green: less; black: closed)"),
    "closure_caption": ("Rues fermées en noir", "Closed streets in black"),
    "closure_hover_closed": ("fermée", "closed"),
    # the unit as the cards write it (UNITS_FR), and what the number is: a hover said « -31,7 véh./h » alone
    "roadworks_hover": ("trafic à la pointe : {change} véhicules/h", "peak traffic: {change} vehicles/h"),
    "roadworks_hover_closed": ("fermée par les travaux (trafic à la pointe : {change} véhicules/h)",
                               "closed by the works (peak traffic: {change} vehicles/h)"),
    "roadworks_hover_closed_residents": ("fermée sauf riverains (trafic à la pointe : {change} véhicules/h ; seuls "
                                         "les riverains y passent encore)", "closed except for residents (peak "
                                         "traffic: {change} vehicles/h; only residents still drive through)"),
    "roadworks_hover_works": ("en travaux, capacité réduite (trafic à la pointe : {change} véhicules/h)",
                              "under works, capacity cut (peak traffic: {change} vehicles/h)"),
    "roadworks_caption_at": ("Rues : variation du débit à l'heure de pointe des travaux, {hour} (rouge : plus, "
                             "vert : moins ; noir : fermée)",
                             "Streets: flow change at the works' peak hour, {hour} (red: more, green: less; "
                             "black: closed)"),
    "roadworks_caption_works": (" ; orange : en travaux, capacité réduite", "; orange: under works, capacity cut"),
    # one direction closed: both directions share one line on the map, black over the open one
    "roadworks_caption_one_direction": (" ; travaux dans un seul sens : la rue en noir ou en orange reste ouverte "
                                        "dans l'autre sens (survoler pour le trafic de chaque sens)",
                                        "; works in one direction: the street in black or orange stays open the "
                                        "other way (hover for each direction's traffic)"),
    "roadworks_hover_other_way": ("autre sens, ouvert : trafic à la pointe {change} véhicules/h",
                                  "other direction, open: peak traffic {change} vehicles/h"),
    "roadworks_hover_other_way_closed": ("autre sens, fermé par les travaux : trafic à la pointe {change} véhicules/h",
                                         "other direction, closed by the works: peak traffic {change} vehicles/h"),
    "roadworks_hover_other_way_works": ("autre sens, en travaux : trafic à la pointe {change} véhicules/h",
                                        "other direction, under works: peak traffic {change} vehicles/h"),
    "roadworks_caption_signed": (" ; bleu foncé : déviation fléchée", "; dark blue: signed detour"),
    "roadworks_hover_signed": ("déviation fléchée (trafic à la pointe : {change} véhicules/h)",
                               "signed detour (peak traffic: {change} vehicles/h)"),
    "roadworks_cut_caption": ("Bâtiments en rouge foncé : {n} coupés du réseau pendant les travaux (survoler : "
                              "sortie ou accès impossible en voiture ; leur liste, avec les adresses, se télécharge "
                              "au-dessus de la carte)",
                              "Buildings in dark red: {n} cut off from the network during the works (hover: no "
                              "drive out or in; their list, with addresses, downloads above the map)"),
    "roadworks_cut_both": ("coupé du réseau : ni sortie ni accès en voiture pendant les travaux",
                           "cut off: no drive out or in during the works"),
    "roadworks_cut_leave": ("coupé du réseau : plus de sortie en voiture pendant les travaux",
                            "cut off: no drive out during the works"),
    "roadworks_cut_reach": ("coupé du réseau : plus d'accès en voiture pendant les travaux",
                            "cut off: no drive in during the works"),
    "roadworks_caption_width": ("Gris clair : rue inchangée ; trait plus épais : plus de changement, jusqu'à "
                                "{largest} véhicules/h", "Light grey: street unchanged; thicker line: more change, up "
                                "to {largest} vehicles/h"),
    "roadworks_caption_no_change": ("Aucune rue ne change de trafic à l'heure de pointe (moins de 0,05 véhicule/h) : "
                                    "les travaux ne déplacent pas le trafic.",
                                    "No street's traffic changes at the peak (less than 0.05 vehicle/h): the works do "
                                    "not move the traffic."),
    "roadworks_title": ("Trafic heure par heure : temps total au volant", "Traffic hour by hour: vehicle-hours"),
    "roadworks_axis": ("heures au volant (tous véhicules)", "vehicle-hours"),
    "roadworks_axis_extra": ("heures au volant en plus (barres)", "extra vehicle-hours (bars)"),
    "roadworks_extra": ("heures au volant en plus (barres, axe de droite)", "extra vehicle-hours (bars, right axis)"),
    "roadworks_chart_stranded": ("Sans les {n} trajets restés sans itinéraire : une courbe plus basse n'est pas "
                                 "moins de trafic", "Without the {n} trips left with no route: a lower line is not "
                                 "less traffic"),
    "roadworks_map_stranded": ("Les {n} véhicules/h restés sans itinéraire à cette heure ne sont plus sur la carte : "
                               "une rue qui perd du trafic n'est pas un gain.", "The {n} vehicles/h left with no "
                               "route at this hour are off the map: a street losing traffic is no gain."),
    "roadworks_title_method": ("Trafic heure par heure : temps total au volant ({method})",
                               "Traffic hour by hour: vehicle-hours ({method})"),
    "roadworks_variant": ("travaux", "{name}"),
    "roadworks_hour": ("{hour:02d}h", "{hour:02d}h"),
    "parking_caption_noise": (". Au total, écart plus petit que l'incertitude : ces écarts rue par rue sont ceux des "
                              "tirages, pas de la variante", ". In total, a change smaller than the uncertainty: these street "
                              "by street changes are the draws', not the variant's"),
    "parking_caption": ("Stationnement : distance parcourue en cherchant une place, rue par rue, dans la variante "
                        "(rouge : plus qu'aujourd'hui, vert : moins ; plus épais : plus d'écart)",
                        "Parking: distance driven searching for a space, street by street, in the variant "
                        "(red: more than today, green: less; thicker: a bigger change)"),
    "parking_caption_alone": ("Stationnement : distance parcourue en cherchant une place, rue par rue (plus épais, "
                              "plus rouge : plus)", "Parking: distance driven searching for a space, street by street "
                              "(thicker, redder: more)"),
    "parking_caption_removed": (" ; orange : rues dont les places sont supprimées",
                                "; orange: streets whose spaces are removed"),
    "parking_caption_closed": (" ; parking(s) fermé(s) : {parks}", "; car park(s) closed: {parks}"),
    "parking_closed_park": ("{name} ({n} places)", "{name} ({n} spaces)"),
    "parking_caption_removed_n": (" ; orange : {n} places supprimées sur {edges} tronçon(s), {when}",
                                  "; orange: {n} spaces removed on {edges} street edge(s), {when}"),
    "parking_caption_estimated": (". Places en bordure estimées d'après la classe de la rue sur {n} tronçon(s) sur "
                                  "{total} (non relevées : SYNTHÉTIQUE)",
                                  ". Kerb spaces estimated from the street's class on {n} of {total} street edge(s) "
                                  "(not surveyed: SYNTHETIC)"),
    "parking_caption_unpaid": (". Aucun des {n} parkings n'est payant selon OpenStreetMap (fee=yes) : le « Tarif d'un "
                               "parking payant » ne s'applique à aucun, les recettes ne viennent que des tarifs saisis",
                               ". None of the {n} car parks is paying according to OpenStreetMap (fee=yes): the "
                               "« Price of a paying car park » applies to none, the revenue comes only from the prices "
                               "entered"),
    "parking_removed_all_day": ("toute la période simulée", "over the whole period simulated"),
    "parking_removed_hours": ("de {a} à {b}", "from {a} to {b}"),
    "parking_hover": ("{km} km de recherche ({change} par rapport à aujourd'hui), places occupées {occ} %",
                      "{km} veh·km of search ({change} from today), spaces taken {occ} %"),
    "parking_hover_alone": ("{km} km de recherche, places occupées {occ} %",
                            "{km} veh·km of search, spaces taken {occ} %"),
    "parking_title": ("Places occupées heure par heure (rues et parkings, %)",
                      "Spaces taken hour by hour (kerbs and car parks, %)"),
    "parking_axis": ("places occupées (%)", "spaces taken (%)"),
    "bins_caption": ("Corbeilles : heures pleines par semaine dans la variante, moyenne des tirages comme les "
                     "indicateurs (plus grosse et plus rouge : plus pleine ; la plus pleine : {top} h/sem.)",
                     "Bins: hours full per week in the variant, mean of the draws as the indicators (bigger and "
                     "redder: fuller; the fullest: {top} h/week)"),
    "bins_hover": ("{hours} h/sem.", "{value:.1f} h/week"),
    "bins_title": ("Remplissage des corbeilles (%)", "Bin fill levels (%)"),
    "bins_axis": ("jour de la saison simulée", "day of the simulated season"),
    "bins_fill_legend": ("{label} : remplissage moyen", "{label}: mean fill"),
    "bins_full_legend": ("{label} : corbeilles pleines", "{label}: bins full"),
    "lighting_caption": ("Lampadaires : énergie de la nuit, en part d'une nuit à pleine puissance (plus sombre : "
                         "éteint ou abaissé une partie de la nuit)",
                         "Lamps: the night's energy, as a share of a night at full power (darker: off or dimmed "
                         "part of the night)"),
    "lighting_hover": ("{share} % d'une nuit à pleine puissance", "{share} % of a night at full power"),
    "heating_caption": ("Bâtiments : gaz économisé par « {variant} » (plus vert : plus, vert foncé dès 30 % ; survol : "
                        "% et kWh/an)",
                        "Buildings: gas saved by “{variant}” (greener: more, deep green from 30 %; hover: % and kWh/yr)"),
    "heating_hover": ("gaz {pct} % ({kwh} kWh/an)", "gas {pct_value:+.1f} % ({kwh_value:+,.0f} kWh/yr)"),
    "flood_caption": ("Bâtiments à alerter en rouge", "Buildings to alert in red"),
    "flood_hover": ("à alerter : {depth} m d'eau au pic (90e centile)", "to alert: {depth} m of water at the peak "
                    "(90th percentile)"),
    "flood_street_hover": ("à fermer : sous l'eau au pic médian", "to close: under water at the median peak"),
    "flood_streets_caption": ("Rues à fermer en noir (sous l'eau au pic médian)",
                              "Streets to close in black (under water at the median peak)"),
    "flood_title": ("Hauteur prévue à la station (m)", "Forecast stage at the gauge (m)"),
    "flood_median": ("médiane", "median"),
    "flood_observed": ("niveau observé", "observed stage"),
    "flood_verified": ("niveau relevé ensuite (connu après coup)", "stage read afterwards (known after the fact)"),
    "flood_verified_synthetic": ("niveau « relevé » ensuite (SYNTHÉTIQUE, connu après coup)",
                                 "stage \"read\" afterwards (SYNTHETIC, known after the fact)"),
    "flood_band": ("bande {lo}–{hi} %", "{lo}–{hi} % band"),
    "flood_alert_yellow": ("seuil jaune ({h} m)", "yellow level ({h} m)"),
    "flood_alert_orange": ("seuil orange ({h} m)", "orange level ({h} m)"),
    "flood_alert_red": ("seuil rouge ({h} m)", "red level ({h} m)"),
    "place_townhall": ("Mairie", "Town hall"),
    "place_station": ("Gare", "Station"),
    "place_school": ("Écoles", "Schools"),
    "place_other": ("Autres lieux publics", "Other public places"),
    # a field the page refuses (twin.app.builder): which and why, next to "Lancer" which waits for it
    "fields_invalid": ("Lancement impossible tant qu'un champ est refusé : {fields}",
                       "Cannot run while a field is refused: {fields}"),
    "field_why": ("« {label} » {why}", "“{label}” {why}"),
    "why_form": (": {why}", "— {why}"),
    "why_min": ("doit valoir au moins {low} (saisi : {value})", "must be at least {low} (entered: {value})"),
    "why_above": ("doit être supérieur à {low} (saisi : {value})", "must be more than {low} (entered: {value})"),
    "why_max": ("doit valoir au plus {high} (saisi : {value})", "must be at most {high} (entered: {value})"),
    "why_below": ("doit être inférieur à {high} (saisi : {value})", "must be less than {high} (entered: {value})"),
    "why_number": ("doit être un nombre (saisi : {value})", "must be a number (entered: {value})"),
    "why_integer": ("doit être un nombre entier (saisi : {value})", "must be a whole number (entered: {value})"),
    "why_empty": ("ne peut pas être vide", "cannot be empty"),
    "why_list": ("n'est pas une liste lisible : écrivez par exemple {example}",
                 "is not a readable list: write for example {example}"),
    "why_list_item": ("élément {i} illisible (« {value} ») : attendu {expected} ; séparez-les par des « ; », "
                      "par exemple {example}", "item {i} unreadable (“{value}”): expected {expected}; separate them "
                      "with “;”, for example {example}"),
    "list_help": ("Séparez les éléments par « ; », par exemple : {example}.",
                  "Separate the items with “;”, for example: {example}."),
    "list_item_text": ("un texte", "a text"),
    "list_item_name_or_id": ("un nom de rue ou un identifiant OSM", "a street name or an OSM way id"),
    "list_item_int": ("un nombre entier", "a whole number"),
    "list_item_number": ("un nombre", "a number"),
    "list_item_point": ("une longitude et une latitude en degrés", "a longitude and a latitude in degrees"),
    "list_example_text": ("osm:way/123 ; osm:way/456", "osm:way/123; osm:way/456"),
    # a list whose items are more than texts: its own example (list_example_<parameter>)
    "list_example_buildings": ("Théâtre Le Canal ; osm:way/122531455", "Théâtre Le Canal; osm:way/122531455"),
    "list_example_name_or_id": ("Quai Saint-Jacques ; 61486041", "Quai Saint-Jacques; 61486041"),
    "list_example_int": ("0, 2, 4", "0, 2, 4"),
    "list_example_number": ("0 ; 1,5 ; 2", "0; 1.5; 2"),
    "list_example_point": ("-2,085 47,652 ; -2,090 47,655", "-2.085 47.652; -2.090 47.655"),
    "why_dict": ("ne se lit pas : écrivez chaque nom entre guillemets suivi de sa valeur, entre accolades, par "
                 "exemple {example}", "cannot be read: write each name in quotes followed by its value, within "
                 "braces, for example {example}"),
    "why_length": ("a {n} éléments : il en faut de {low} à {high}", "has {n} items: it takes {low} to {high}"),
    "why_items": ("élément {i} refusé ({value}) : attendu {kinds}", "item {i} refused ({value}): expected {kinds}"),
    "why_blank_street": ("contient un nom de rue vide, qui désignerait toutes les rues sans nom : donnez un nom "
                         "ou un identifiant OSM", "holds an empty street name, which would mean every unnamed "
                         "street: give a name or an OSM way id"),
    "why_refused": ("est refusé : {detail}", "is refused: {detail}"),
    "kind_str": ("un texte", "a text"),
    "kind_int": ("un nombre entier", "a whole number"),
    "kind_float": ("un nombre", "a number"),
    "kind_dict": ("un objet {{…}}", "an object {{…}}"),
    "kind_list": ("une liste […]", "a list […]"),
    "state_unreadable": (" (illisible)", " (unreadable)"),
    "state_not_list": (" (pas une liste)", " (not a list)"),
    "state_not_dict": (" (pas un dictionnaire)", " (not a dictionary)"),
}

def _merge_parts() -> None:
    """The catalogue's other parts (:mod:`twin.app.catalogue`), refused when a key is already here."""
    from twin.app.catalogue import strings  # noqa: PLC0415

    for key, pair in strings().items():
        if key in STRINGS:
            raise KeyError(f"twin.app.catalogue: string {key!r} is already defined in twin.app.i18n")
        STRINGS[key] = pair


_merge_parts()

# units of a duration (raw and French): an infinite one is "never" (a payback, a lead time)
DURATION_UNITS = frozenset({"years", "year", "yr", "ans", "an", "h", "min", "s", "d", "days", "jours"})
NEVER = {"fr": "jamais", "en": "never"}

IMPACT_LABELS = {"financial": "financial", "environmental": "environmental", "human": "human"}

FAMILY_LABELS = {
    "street-closure": ("Fermeture de rues", "Street closure"),
    "roadworks": ("Travaux et déviations", "Roadworks detours"),
    "lighting": ("Extinction de l'éclairage", "Street-lighting schedules"),
    "flood": ("Anticipation des crues", "Flood anticipation"),
    "heating": ("Chauffage des bâtiments", "Building heating"),
    "bins": ("Corbeilles et collecte", "Litter bins and collection"),
    "flood-detours": ("Crue : rues fermées et secours", "Flood: closed streets and emergency access"),
    "parking": ("Stationnement", "Parking"),
    "water-break": ("Eau potable : casse d'une conduite", "Drinking water: a main break"),
    "water-pressure": ("Eau potable : baisser la pression la nuit", "Drinking water: lower the pressure at night"),
    "water-meters": ("Eau potable : secteurs et compteurs connectés", "Drinking water: metered districts"),
}

METHOD_LABELS = {
    "every hour of the window assigned": ("chaque heure affectée", "every hour of the window assigned"),
    "peak hour and mean off-peak level, each assigned once per variant":
        ("heure de pointe, et niveau moyen hors pointe pour les autres heures",
         "peak hour and mean off-peak level, each assigned once per variant"),
}
"""A roadworks run's day method (the ``method`` of its hourly series, in English) -> (French, English)."""

KPI_LABELS_FR = {
    "segments_closed": "tronçons fermés par la crue",
    "fire_buildings_late": "bâtiments hors délai des pompiers", "fire_buildings_unreachable": "bâtiments inaccessibles aux pompiers",
    "fire_worst_min": "pire temps d'accès des pompiers",
    "hospital_buildings_late": "bâtiments hors délai de l'hôpital",
    "hospital_buildings_unreachable": "bâtiments sans accès à l'hôpital", "hospital_worst_min": "pire temps d'accès à l'hôpital",
    "buildings_without_route": "bâtiments sans itinéraire",
    "mean_drive_distance_m": "distance moyenne en voiture",
    "round_trip_vehicle_km": "véhicules-km aller-retour",
    "closed_street_length_m": "longueur de rue fermée",
    "overflow_events_per_week": "débordements par semaine",
    "overflow_bin_hours_per_week": "heures de corbeilles pleines par semaine",
    "litter_l_per_week": "déchets au sol par semaine",
    "demand_covered_pct": "demande piétonne couverte",
    "truck_km_per_year": "km de camion par an",
    "fuel_l_per_year": "gazole par an",
    "co2_kg_per_year": "CO2 par an",
    "agent_hours_per_year": "heures d'agents par an",
    "operating_cost_eur_per_year": "coût de fonctionnement par an",
    "capital_cost_eur": "investissement",
    "payback_years": "temps de retour",
    "rounds_beyond_limits_pct": "tournées au-delà des camions (capacité ou durée)",
    "energy_kwh": "électricité consommée", "co2_kg": "CO2", "corridor_darkness_h": "heures de nuit noire (corridors)",
    "burning_hours": "heures d'allumage", "cost_eur": "coût", "clocks_to_install": "horloges à installer",
    "investment_eur": "investissement", "sensitive_lit_share_pct": "éclairage aux heures d'usage des lieux sensibles",
    "peak_stage_m": "hauteur maximale (médiane)", "peak_stage_p95_m": "hauteur maximale (95 %)",
    "peak_after_h": "pic atteint après", "p_yellow_pct": "probabilité de dépasser le seuil jaune sur l'horizon",
    "p_orange_pct": "probabilité de dépasser le seuil orange sur l'horizon",
    "p_red_pct": "probabilité de dépasser le seuil rouge sur l'horizon",
    "lead_time_yellow_h": "délai avant jaune", "lead_time_orange_h": "délai avant orange",
    "lead_time_red_h": "délai avant rouge", "buildings_flooded": "bâtiments inondés",
    "buildings_to_alert": "bâtiments à alerter", "people_to_alert": "personnes à alerter",
    "streets_to_close": "tronçons de rue à fermer", "gas_kwh": "gaz consommé",
    "comfort_gap_h": "heures d'inconfort, sous 18,5 °C en présence (bâtiments du calcul, additionnées)",
    "vehicle_hours_peak": "temps total au volant (heure de pointe)",
    "vehicle_hours_window": "temps total au volant (sur la plage horaire)",
    "vehicle_km_window": "kilomètres parcourus (sur la plage horaire)",
    "co2_kg_window": "CO2 émis (sur la plage horaire)",
    "drive_time_cost_eur_window": "temps au volant valorisé en euros, pas une dépense de la commune (sur la plage horaire)",
    "trips_without_route_peak": "trajets sans itinéraire (heure de pointe)",
    "trips_without_route_window": "trajets sans itinéraire (sur la plage horaire)", "time_to_townhall_min": "temps jusqu'à la mairie",
    "time_to_schools_min": "temps jusqu'aux écoles",
    "search_mean_min": "temps perdu à chercher une place (moyenne)",
    "search_p90_min": "temps perdu à chercher une place (1 conducteur sur 10 au-delà)",
    "gave_up_drivers": "conducteurs qui renoncent (période simulée)", "walk_mean_m": "marche moyenne jusqu'à destination",
    # « en plus » read as a change beside its own change (« 3 611 km », « +47,3 km »): what they are, driven
    "cruising_vkm": "kilomètres parcourus à chercher une place (période simulée)",
    "cruising_co2_kg": "CO2 de la recherche de place (période simulée)",
    "revenue_eur": "recettes du stationnement (période simulée)",
    "people_without_water": "personnes privées d'eau (estimation)",
    "people_hours_without_water": "personnes × heures sans eau", "people_low_pressure": "personnes en pression basse",
    "sensitive_sites_without_water": "sites sensibles sans eau", "demand_not_served_m3": "eau non distribuée",
    "water_lost_m3": "eau perdue par la fuite", "water_lost_cost_eur": "coût de l'eau perdue",
    "leakage_m3_per_year": "eau perdue en fuites par an", "pump_energy_kwh_per_year": "énergie de pompage par an",
    "bursts_per_year": "casses par an", "people_hours_low_pressure_per_day": "personnes × heures sous la pression de service, par jour",
    "leakage_cost_eur_per_year": "coût de l'eau perdue par an", "bursts_cost_eur_per_year": "coût des casses par an",
    "energy_cost_eur_per_year": "coût du pompage par an",
    "hidden_losses_m3_per_year": "eau perdue par les fuites non signalées, par an",
    "leak_run_days": "durée d'une fuite non signalée jusqu'à sa réparation",
    "hidden_losses_cost_eur_per_year": "coût de l'eau perdue par les fuites non signalées, par an",
    "search_cost_eur_per_year": "recherche de fuites et télétransmission, par an",
    "investment_eur": "investissement", "false_alarms_per_year": "fausses alarmes par an",
}


KPI_LABELS_EN = {
    "segments_closed": "segments closed by the flood",
    "fire_buildings_late": "buildings the fire service reaches late",
    "fire_buildings_unreachable": "buildings the fire service cannot reach",
    "fire_worst_min": "worst fire-service access time",
    "hospital_buildings_late": "buildings late to the hospital",
    "hospital_buildings_unreachable": "buildings with no way to the hospital",
    "hospital_worst_min": "worst time to the hospital",
    "buildings_without_route": "buildings without a route", "mean_drive_distance_m": "mean driving distance",
    "round_trip_vehicle_km": "round-trip vehicle-km", "closed_street_length_m": "length of street closed",
    "overflow_events_per_week": "overflows per week", "overflow_bin_hours_per_week": "bin-hours full per week",
    "litter_l_per_week": "litter on the ground per week", "demand_covered_pct": "pedestrian demand covered",
    "truck_km_per_year": "truck-km per year", "fuel_l_per_year": "diesel per year", "co2_kg_per_year": "CO2 per year",
    "agent_hours_per_year": "staff hours per year", "operating_cost_eur_per_year": "operating cost per year",
    "capital_cost_eur": "investment", "payback_years": "payback time",
    "rounds_beyond_limits_pct": "rounds beyond the trucks (capacity or duration)",
    "energy_kwh": "electricity used", "co2_kg": "CO2", "corridor_darkness_h": "dark hours (wildlife corridors)",
    "burning_hours": "burning hours", "cost_eur": "cost", "clocks_to_install": "clocks to install",
    "investment_eur": "investment", "sensitive_lit_share_pct": "lighting in the hours of use of sensitive places",
    "peak_stage_m": "peak stage (median)", "peak_stage_p95_m": "peak stage (95 %)", "peak_after_h": "peak after",
    "p_yellow_pct": "probability of crossing the yellow level within the horizon",
    "p_orange_pct": "probability of crossing the orange level within the horizon",
    "p_red_pct": "probability of crossing the red level within the horizon",
    "lead_time_yellow_h": "time to yellow", "lead_time_orange_h": "time to orange", "lead_time_red_h": "time to red",
    "buildings_flooded": "buildings flooded", "buildings_to_alert": "buildings to alert",
    "people_to_alert": "people to alert", "streets_to_close": "street segments to close", "gas_kwh": "gas used",
    "comfort_gap_h": "discomfort hours, below 18.5 °C while occupied (the buildings of the run, summed)", "vehicle_hours_peak": "vehicle-hours at the peak",
    "vehicle_hours_window": "vehicle-hours over the window", "vehicle_km_window": "vehicle-km over the window",
    "co2_kg_window": "CO2 over the window", "drive_time_cost_eur_window": "time at the wheel valued in euros, not money the town spends (over the window)", "trips_without_route_peak": "trips without a route (peak)",
    "trips_without_route_window": "trips without a route (window)", "time_to_townhall_min": "time to the town hall",
    "time_to_schools_min": "time to the schools",
    "search_mean_min": "time lost searching for a space (mean)",
    "search_p90_min": "time lost searching for a space (1 driver in 10 beyond)",
    "gave_up_drivers": "drivers who give up (simulated hours)", "walk_mean_m": "mean walk to the destination",
    "cruising_vkm": "kilometres driven searching for a space (simulated hours)",
    "cruising_co2_kg": "CO2 of the search for a space (simulated hours)",
    "revenue_eur": "parking revenue (simulated hours)",
    "people_without_water": "people without water (estimate)",
    "people_hours_without_water": "people × hours without water", "people_low_pressure": "people under low pressure",
    "sensitive_sites_without_water": "sensitive sites without water", "demand_not_served_m3": "water not delivered",
    "water_lost_m3": "water lost by the leak", "water_lost_cost_eur": "cost of the water lost",
    "leakage_m3_per_year": "water lost in leaks per year", "pump_energy_kwh_per_year": "pumping energy per year",
    "bursts_per_year": "bursts per year", "people_hours_low_pressure_per_day": "people × hours under the service pressure, per day",
    "leakage_cost_eur_per_year": "cost of the water lost per year", "bursts_cost_eur_per_year": "cost of bursts per year",
    "energy_cost_eur_per_year": "cost of pumping per year",
    "hidden_losses_m3_per_year": "water lost by unreported leaks per year",
    "leak_run_days": "how long an unreported leak runs until repaired",
    "hidden_losses_cost_eur_per_year": "cost of the water unreported leaks lose per year",
    "search_cost_eur_per_year": "leak surveys and telemetry per year",
    "investment_eur": "investment", "false_alarms_per_year": "false alarms per year",
}
"""The KPIs' labels in English (a code name with its underscores read « vehicle km window »)."""

PARAM_LABELS_FR = {
    # lighting
    "baseline_rules": "Règles actuelles", "led_retrofit": "Comparer aussi avec un passage tout LED",
    "led_in_variant": "Cette variante passe tout en LED",
    "offset_min": "Décalage après le coucher / avant le lever du soleil", "price_eur_per_kwh": "Prix de l'électricité (HT)",
    "subscription_eur_per_kva_year": "Abonnement", "astronomical_clock_eur": "Horloge astronomique, posée",
    "connected_clock_eur": "Horloge connectée, posée", "led_power_ratio": "Puissance LED / puissance remplacée",
    "led_cost_eur_per_lamp": "Tête LED, posée", "corridor_buffer_m": "Demi-largeur des corridors écologiques",
    "sensitive_radius_m": "Rayon des lieux sensibles (pour l'indicateur « éclairage aux heures d'usage des lieux sensibles »)",
    # flood
    "scale": "Multiplicateur de la pluie observée", "design_mm": "Cumul de la pluie de projet",
    "design_duration_h": "Durée de la pluie de projet", "design_shape": "Forme du hyétogramme",
    "update": "Mise à jour sur la station de débit",
    "ensemble_base": "Base de l'ensemble de pluies", "analog_window_days": "Saison des pluies tirées (± jours autour de la date)",
    "rain_forecast_mm": "Pluie prévue, heure par heure", "rain_cv": "Coefficient de variation de la pluie",
    "model_error_cv": "Coefficient de variation de l'erreur du modèle", "rain_gauge": "Pluviomètre",
    "flow_gauge": "Station de débit", "level_gauge": "Station de hauteur d'eau", "temperature": "Capteur de température",
    "area_km2": "Surface du bassin versant", "latitude_deg": "Latitude du bassin versant",
    "params": "Paramètres GR4H (X1, X2, X3, X4 ; vide : calés sur l'année précédente)",
    "alert_levels_m": "Seuils d'alerte locaux à la station", "people_per_building": "Personnes par bâtiment d'habitation",
    "river_names": "Cours d'eau cartographié",
    # heating
    "calibration_year": "Année de calage (vide : l'année simulée)",
    "prior_seed": "Graine du tirage a priori (sans compteur de gaz)",
    "return_period_years": "Période de retour de la pluie de projet (sans station)",
    # flood and detours
    "flood": "Paramètres de la prévision de crue", "flood_variant": "Variante de crue dont les rues sont fermées",
    "fire_threshold_min": "Délai des pompiers au-delà duquel un bâtiment est hors délai",
    "hospital_threshold_min": "Trajet vers l'hôpital au-delà duquel un bâtiment est hors délai",
    "streets": "Rues", "destination": "Destination", "variant_name": "Nom de la variante",
    "policy": "Politique de collecte", "round_weekdays": "Jours de tournée",
    "threshold_pct": "Seuil de collecte", "baseline_weekdays": "Jours de tournée actuels",
    "compacting_bins": "Corbeilles compactantes", "compaction_factor": "Taux de compaction",
    "compacting_bin_eur": "Prix d'une corbeille compactante (posée)", "bin_eur": "Prix d'une corbeille simple (posée)",
    "sensor_eur": "Prix d'un capteur de remplissage",
    "sensor_eur_per_year": "Abonnement d'un capteur de remplissage",
    "sensors_fitted": "Les corbeilles ont déjà leurs capteurs de remplissage", "agent_eur_per_h": "Coût horaire d'un agent (chargé)",
    "fuel_eur_per_l": "Prix du gazole",
    "compacting_capacity_l": "Volume d'une compactante", "bin_capacity_l": "Volume des corbeilles",
    "add_best": "Corbeilles ajoutées (meilleurs emplacements)", "add_points": "Corbeilles ajoutées (lon, lat)",
    "coverage_m": "Distance de desserte à pied", "close_bins": "Corbeilles fermées",
    "close_weekday": "Jour de fermeture", "close_hours": "Heures de fermeture",
    "trucks": "Camions", "truck_capacity_l": "Capacité d'un camion", "start": "Début de la saison",
    "days": "Durée", "members": "Membres (tirages)", "seed": "Graine aléatoire", "hours": "Heures",
    "capacity_factor": "Capacité laissée par les travaux (0 % : rue fermée)", "one_direction": "Un seul sens fermé",
    "residents_access": "Route barrée sauf riverains", "rules": "Règles",
    "forecast_time": "Instant de prévision", "horizon_h": "Horizon", "rain": "Pluie",
    "past_floods": "Fiabilité : crues passées rejouées (0 : aucune)",
    # heating
    "buildings": "Bâtiments (noms ou identifiants ; vide : tous les compteurs fiables)",
    "booking_ics": "Calendrier de réservations (iCalendar ou CSV)", "year": "Année météo",
    "current_hours": "Aujourd'hui : heures chauffées à la consigne de jour (la référence)",
    "current_setpoint_c": "Aujourd'hui : consigne de jour", "current_night_c": "Aujourd'hui : consigne de nuit",
    "occupied_setpoint_c": "Nouveau planning : consigne occupé", "unoccupied_setpoint_c": "Nouveau planning : consigne inoccupé",
    "empty_setpoint_c": "Consigne vide (hors gel)", "empty_after_h": "Vide après", "preheat_h": "Relance avant occupation",
    "setpoint_delta_c": "Variation des consignes (variante)", "retrofit_ua_cut": "Pertes supprimées par la rénovation",
    "retrofit_eur_per_m2": "Coût de la rénovation", "bms_eur": "Pilotage automatique du chauffage (GTB) ou thermostat connecté, par bâtiment",
    "gas_eur_per_kwh": "Prix du gaz", "co2_kg_per_kwh": "Facteur d'émission de l'énergie consommée", "efficiency": "Rendement chaudière",
    # roadworks
    "polygon": "Zone des travaux (dessinée sur la carte)", "gap": "Précision du calcul (écart à l'équilibre)", "co2_kg_per_vkm": "CO2 par kilomètre parcouru", "value_of_time_eur_per_veh_h": "Valeur d'une heure au volant",
    "detour": "Rues de la déviation fléchée", "detour_attraction": "Préférence des conducteurs pour la déviation fléchée",
    "day_method": "Méthode de la journée", "internal_scale": "Trafic local : facteur d'ajustement (1 : demande non calée sur les comptages)",
    "through_scale": "Trafic de transit : facteur d'ajustement (1 : demande non calée sur les comptages)",
    "rain_forecast_file": "Fichier de pluie prévue", "booking_ics_text": "Calendrier de réservations déposé",
    # parking
    "remove_streets": "Rues dont les places sont supprimées", "remove_hours": "Heures de la suppression",
    "close_car_parks": "Parkings fermés", "add_car_park": "Nouveau parking",
    "street_prices": "Tarif du stationnement par rue", "car_park_prices": "Tarif des parkings",
    "guidance_share": "Part des conducteurs guidés vers une place libre",
    "remove_zone": "Zone dont les places sont supprimées (dessinée sur la carte)",
    "sensor_share": "Part des places équipées de capteurs",
    "turnover": "Demande : arrivées par place et par jour (hypothèse)",
    "paid_price_eur_h": "Tarif d'un parking payant (selon OpenStreetMap)", "pay_median_eur_h": "Prix que la moitié des conducteurs accepte",
    "occupancy_start": "Part des places occupées au début", "period": "Période simulée",
    # water break
    "broken_street": "Rue de la conduite cassée", "broken_pipe": "Conduite cassée (identifiant)",
    "break_time": "Heure de la casse", "isolation_delay_h": "Délai avant fermeture des vannes",
    "repair_h": "Durée de la réparation", "break_area_share": "Taille de la casse (part de la section du tuyau)",
    "step_min": "Pas de calcul hydraulique", "valves_missing_per_node": "Réseau synthétique : vannes absentes par nœud",
    "valve_seed": "Graine des vannes synthétiques", "service_pressure_m": "Pression de service",
    "minimum_pressure_m": "Pression minimale (plus d'eau en dessous)", "litres_per_person_day": "Consommation par personne",
    "population": "Population des bâtiments du territoire (Insee ; vide : estimée d'après les surfaces)",
    "water_cost_eur_m3": "Coût de l'eau perdue", "sensitive_sites": "Sites sensibles (nom : nœud)",
    "engine": "Moteur hydraulique", "network_file": "Réseau (fichier EPANET)", "valves_file": "Vannes (fichier CSV)",
    # water pressure
    "night_pressure_m": "Pression la nuit (consigne du réducteur)", "day_pressure_m": "Pression le jour (consigne)",
    "night_hours": "Heures de nuit", "investment_eur": "Investissement",
    "prv_settings": "Consignes de jour par réducteur (nom : m)", "night_settings": "Consignes de nuit par réducteur (nom : m)",
    "leakage_share": "Part de l'eau produite perdue en fuites aujourd'hui",
    "materials_file": "Matériaux des conduites (fichier CSV)", "bursts_per_100km_year": "Casses par an et 100 km aujourd'hui",
    "n2": "Exposant pression–casses (N2)", "burst_cost_eur": "Coût d'une réparation de casse",
    "energy_price_eur_kwh": "Prix de l'électricité (pompage)",
    # water meters (districts)
    "districts": "Nombre de secteurs comptés", "people_per_district": "Habitants par secteur (si le nombre est vide)",
    "survey_interval_years": "Aujourd'hui : recherche de fuites sur tout le réseau tous les",
    "search_km_per_day": "Recherche de fuites : km de conduites par jour", "repair_days": "Délai de réparation",
    "main_leaks_per_100km_year": "Fuites non signalées sur conduites (par 100 km et par an)",
    "service_leaks_per_1000_connections_year": "Fuites non signalées sur branchements (par 1 000 et par an)",
    "unreported_share": "Part des pertes due aux fuites non signalées",
    "false_alarms_per_year": "Fausses alarmes acceptées par secteur et par an", "meter_cost_eur": "Coût d'un compteur de secteur",
    "telemetry_eur_per_year": "Télétransmission d'un compteur", "search_eur_per_km": "Prix de la recherche de fuites",
    "trials": "Essais simulés par secteur", "years": "Années simulées par membre",
    "valve_cost_eur": "Coût d'une vanne de limite à poser",
}
# the same labels in English, the second language (a spaced code name was shown before)
PARAM_LABELS_EN = {
    # lighting
    "baseline_rules": "Current rules", "led_retrofit": "Compare with an all-LED retrofit too",
    "led_in_variant": "This variant turns every lamp LED",
    "offset_min": "Offset after sunset / before sunrise", "price_eur_per_kwh": "Electricity price (excl. VAT)",
    "subscription_eur_per_kva_year": "Subscription", "astronomical_clock_eur": "Astronomical clock, installed",
    "connected_clock_eur": "Connected clock, installed", "led_power_ratio": "LED power / replaced power",
    "led_cost_eur_per_lamp": "LED head, installed", "corridor_buffer_m": "Half-width of the wildlife corridors",
    "sensitive_radius_m": "Radius of the sensitive places (for the « lighting in the hours of use of sensitive places » indicator)",
    # flood
    "scale": "Multiplier of the observed rain", "design_mm": "Design storm depth",
    "design_duration_h": "Design storm duration", "design_shape": "Hyetograph shape",
    "update": "Update on the flow gauge",
    "ensemble_base": "Rain ensemble base", "analog_window_days": "Season of the rains drawn (± days around the date)",
    "rain_forecast_mm": "Forecast rain, hour by hour", "rain_cv": "Coefficient of variation of the rain",
    "model_error_cv": "Coefficient of variation of the model error", "rain_gauge": "Rain gauge",
    "flow_gauge": "Flow gauge", "level_gauge": "Water-level gauge", "temperature": "Temperature sensor",
    "area_km2": "Catchment area", "latitude_deg": "Catchment latitude",
    "params": "GR4H parameters (X1, X2, X3, X4; empty: calibrated on the previous year)",
    "alert_levels_m": "Alert levels at the gauge", "people_per_building": "People per residential building",
    "river_names": "Mapped river", "rain_forecast_file": "Rain forecast file",
    # heating
    "calibration_year": "Calibration year (empty: the simulated year)",
    "prior_seed": "Seed of the prior's draws (no gas meter)",
    "return_period_years": "Return period of the design storm (no gauge)",
    # flood and detours
    "flood": "Flood forecast parameters", "flood_variant": "Flood variant whose streets are closed",
    "fire_threshold_min": "Fire-brigade delay beyond which a building is out of reach",
    "hospital_threshold_min": "Trip to the hospital beyond which a building is out of reach",
    "streets": "Streets", "destination": "Destination", "variant_name": "Variant name",
    "policy": "Collection policy", "round_weekdays": "Round days",
    "threshold_pct": "Collection threshold", "baseline_weekdays": "Current round days",
    "compacting_bins": "Compacting bins", "compaction_factor": "Compaction ratio",
    "compacting_bin_eur": "Price of a compacting bin (installed)", "bin_eur": "Price of a litter bin (installed)",
    "sensor_eur": "Price of a fill-level sensor",
    "sensor_eur_per_year": "Subscription of a fill-level sensor",
    "sensors_fitted": "The bins already carry their fill sensors", "agent_eur_per_h": "Hourly cost of an agent (loaded)",
    "fuel_eur_per_l": "Diesel price",
    "compacting_capacity_l": "Volume of a compacting bin", "bin_capacity_l": "Bin volume",
    "add_best": "Bins added (best locations)", "add_points": "Bins added (lon, lat)",
    "coverage_m": "Walking distance served", "close_bins": "Bins closed",
    "close_weekday": "Closing day", "close_hours": "Closing hours",
    "trucks": "Trucks", "truck_capacity_l": "Truck capacity", "start": "Season start",
    "days": "Duration", "members": "Members (draws)", "seed": "Random seed", "hours": "Hours",
    "capacity_factor": "Capacity left by the works (0%: street closed)", "one_direction": "One direction closed",
    "residents_access": "Road closed except for residents", "rules": "Rules",
    "forecast_time": "Forecast time", "horizon_h": "Horizon", "rain": "Rain",
    "past_floods": "Record: past floods replayed (0: none)",
    # heating
    "buildings": "Buildings (names or identifiers; empty: every reliable meter)",
    "booking_ics": "Booking calendar (iCalendar or CSV)", "booking_ics_text": "Uploaded booking calendar",
    "year": "Weather year",
    "current_hours": "Today: hours heated to the day setpoint (the baseline)",
    "current_setpoint_c": "Today: day setpoint", "current_night_c": "Today: night setpoint",
    "occupied_setpoint_c": "New schedule: occupied setpoint", "unoccupied_setpoint_c": "New schedule: unoccupied setpoint",
    "empty_setpoint_c": "Empty setpoint (frost protection)", "empty_after_h": "Empty after", "preheat_h": "Preheat before use",
    "setpoint_delta_c": "Setpoint change (variant)", "retrofit_ua_cut": "Losses removed by the retrofit",
    "retrofit_eur_per_m2": "Retrofit cost", "bms_eur": "BMS / connected thermostat per building",
    "gas_eur_per_kwh": "Gas price", "co2_kg_per_kwh": "Emission factor of the energy used", "efficiency": "Boiler efficiency",
    # roadworks
    "polygon": "Zone (WKT polygon)", "gap": "Relative gap of the equilibrium", "co2_kg_per_vkm": "CO2 per vehicle-km", "value_of_time_eur_per_veh_h": "Value of an hour at the wheel",
    "detour": "Streets of the signed detour", "detour_attraction": "Attraction of the signed detour",
    "day_method": "Day method", "internal_scale": "Internal demand factor (1: demand not calibrated on the counts)",
    "through_scale": "Through-traffic factor (1: demand not calibrated on the counts)",
    # parking
    "remove_streets": "Streets whose spaces are removed", "remove_hours": "Hours of the removal",
    "close_car_parks": "Car parks closed", "add_car_park": "New car park",
    "street_prices": "On-street price by street", "car_park_prices": "Car-park prices",
    "remove_zone": "Zone whose spaces are removed (drawn on the map)",
    "guidance_share": "Share of drivers guided to a free space", "sensor_share": "Share of spaces with sensors",
    "turnover": "Demand: arrivals per space and day (assumption)",
    "paid_price_eur_h": "Price of a paying car park (per OpenStreetMap)", "pay_median_eur_h": "Price half the drivers accept",
    "occupancy_start": "Share of spaces taken at the start", "period": "Simulated hours",
    # water break
    "broken_street": "Street of the broken main", "broken_pipe": "Broken pipe (id)", "break_time": "Time of the break",
    "isolation_delay_h": "Delay before the valves are closed", "repair_h": "Repair time",
    "break_area_share": "Size of the break (share of the pipe's cross-section)", "step_min": "Hydraulic time step",
    "valves_missing_per_node": "Synthetic network: valves missing per node", "valve_seed": "Seed of the synthetic valves",
    "service_pressure_m": "Service pressure", "minimum_pressure_m": "Minimum pressure (no water below)",
    "litres_per_person_day": "Use per person", "water_cost_eur_m3": "Cost of the water lost",
    "population": "Population of the territory's buildings (INSEE; empty: estimated from floor areas)",
    "sensitive_sites": "Sensitive sites (name: junction)", "engine": "Hydraulic engine",
    "network_file": "Network (EPANET file)", "valves_file": "Valves (CSV file)",
    # water pressure
    "night_pressure_m": "Night pressure (valve setpoint)", "day_pressure_m": "Day pressure (setpoint)",
    "night_hours": "Night hours", "investment_eur": "Investment",
    "prv_settings": "Day setpoints per valve (name: m)", "night_settings": "Night setpoints per valve (name: m)",
    "leakage_share": "Share of the water produced lost in leaks today",
    "materials_file": "Pipe materials (CSV file)", "bursts_per_100km_year": "Bursts per year and 100 km today",
    "n2": "Pressure–burst exponent (N2)", "burst_cost_eur": "Cost of a burst's repair",
    "energy_price_eur_kwh": "Electricity price (pumping)",
    # water meters (districts)
    "districts": "Number of metered districts", "people_per_district": "People per district (when the number is empty)",
    "survey_interval_years": "Today: the whole network surveyed for leaks every",
    "search_km_per_day": "Leak survey: km of mains a day", "repair_days": "Repair delay",
    "main_leaks_per_100km_year": "Unreported main bursts (per 100 km and year)",
    "service_leaks_per_1000_connections_year": "Unreported service leaks (per 1,000 and year)",
    "unreported_share": "Share of losses from unreported leaks",
    "false_alarms_per_year": "False alarms accepted per district and year", "meter_cost_eur": "Cost of a district meter",
    "telemetry_eur_per_year": "A meter's telemetry", "search_eur_per_km": "Price of the leak survey",
    "trials": "Simulated trials per district", "years": "Years simulated per member",
    "valve_cost_eur": "Cost of a boundary valve to install",
}
UNITS_FR = {"buildings": "bâtiments", "years": "ans", "events/week": "fois/sem.", "l/week": "l/sem.",
            "bin·h/week": "h/sem.", "km/year": "km/an", "l/year": "l/an", "kg CO2e/year": "kg CO2e/an",
            "h/year": "h/an", "€/year": "€/an", "homes": "logements", "people": "personnes",
            "street segments": "tronçons", "kWh/yr": "kWh/an", "kg CO2e/yr": "kg CO2e/an", "h/yr": "h/an",
            "€/yr": "€/an", "clocks": "horloges", "cabinets": "armoires", "trips": "trajets",
            "veh/h": "véhicules/h", "veh·h": "h", "veh·km": "km",
            # the factors table's units (twin/data/factors.csv)
            "kg CO2/veh·km": "kg CO2/véh.·km", "€/veh·h": "€/véh.·h", "€/kVA/year": "€/kVA/an", "€/lamp": "€/lampadaire",
            "€/building": "€/bâtiment", "agents/truck": "agents/camion", "€/year": "€/an",
            "people/household": "personnes/ménage", "drivers": "conducteurs",
            "arrivals/space/day": "arrivées/place/jour", "people·h": "personnes·h", "sites": "site(s)",
            "L/person/day": "L/personne/jour", "m³/year": "m³/an", "kWh/year": "kWh/an", "bursts/year": "casses/an",
            "people·h/day": "personnes·h/jour", "bursts/100 km/year": "casses/100 km/an", "days": "jours",
            "alarms/year": "alarmes/an", "h/week": "h/sem."}


def param_label(name: str, doc: str | None, lang: str = "fr") -> str:
    """A widget label: the French name when known, with the unit declared in the doc (``[m] …``)."""
    unit = ""
    if doc and doc.startswith("[") and "]" in doc:
        unit = doc[1:doc.index("]")]
    label = (PARAM_LABELS_EN if lang == "en" else PARAM_LABELS_FR).get(name, name.replace("_", " "))
    label = label[0].upper() + label[1:]
    return f"{label} ({unit})" if unit and unit != "-" else label


def field_label(name: str, doc: str | None, lang: str = "fr", clock: bool = False) -> str:
    """A field's label: :func:`param_label` with its unit in ``lang`` (``forms_unit_<unit>``: "(year)" is
    "(année)" in French, "(UTC)" the page's « heure de Paris », where it reads the time); ``clock``: an hour
    picker, whose times say it, without one. The form's and its errors' (« Instant de prévision (UTC) »
    headed an error about the box labelled « heure de Paris »)."""
    label = param_label(name, None if clock else doc, lang)
    unit = doc[1:doc.index("]")] if doc and doc.startswith("[") and "]" in doc else ""
    if not clock and f"forms_unit_{unit}" in STRINGS and label.endswith(f" ({unit})"):
        word = t(f"forms_unit_{unit}", lang)
        label = label[: -len(unit) - 3]
        # "Camions (camions)", "Année météo (année)": a unit the label already says is not repeated
        label = label if word.casefold() in label.casefold() else f"{label} ({word})"
    return label


def unit_label(unit: str, lang: str = "fr") -> str:
    return UNITS_FR.get(unit, unit) if lang == "fr" else unit


PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "sur", "sous", "en", "et", "lès", "lez", "aux", "au"})


def town_name(name: str) -> str:
    """A territory's name as a title writes it: a name typed in lower case (``redon``, ``pont_de_veyle``)
    gets the capitals and hyphens of a French commune's name (« Redon », « Pont-de-Veyle »); a name
    with a capital already is left as it is."""
    if not name or any(c.isupper() for c in name):
        return name
    words = [w for w in name.replace("_", " ").replace("-", " ").split() if w]
    words = [w if i and w in PARTICLES else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    if len(words) > 1 and words[0] in ("Le", "La", "Les"):  # a leading article takes a space: « Le Havre »
        return f"{words[0]} {'-'.join(words[1:])}"
    return "-".join(words)


def t(key: str, lang: str = "fr", **kw) -> str:
    """The string ``key`` in ``lang`` (French when unknown), formatted with ``kw``."""
    fr, en = STRINGS[key]
    return (en if lang == "en" else fr).format(**kw)


PRIOR_MISSING = ("heating", "flood", "flood-detours", "bins", "lighting", "roadworks", "street-closure", "parking",
                 "water-break", "water-pressure", "water-meters")
"""The families whose « a priori » note (:func:`prior_note`) names what their priors stand in for
(``prior_missing_<family>``; any other: ``prior_missing``)."""


def synthetic_meters_note(attrs: dict, lang: str = "fr") -> str | None:
    """A run calibrated on SYNTHETIC meters (its ``synthetic_meters`` attribute, « k of n »): what its figures
    are worth — a heating run on the demonstration territory showed savings with no word that its 20 gas
    meters were generated. None otherwise."""
    k, _, n = str(attrs.get("synthetic_meters", "") or "").partition(" of ")
    if not k.isdigit() or not n.isdigit():
        return None
    return t("res_synthetic_meters", lang, k=fmt_number(int(k), lang), n=fmt_number(int(n), lang))


def synthetic_gauges_note(attrs: dict, lang: str = "fr") -> str | None:
    """A flood forecast whose gauges are SYNTHETIC (its ``synthetic_gauges`` attribute): their river is
    generated by the very model that forecasts it, so its calibration (« NSE 0,995 ») recovers that model and
    validates nothing. None otherwise."""
    if not str(attrs.get("synthetic_gauges", "") or ""):
        return None
    return t("res_synthetic_gauges", lang)


def beyond_record_note(attrs: dict, lang: str = "fr") -> str | None:
    """A flood forecast whose peak lies far above every stage its rating curve was fitted on
    (``beyond_rating_curve``): the curve is extrapolated, its stage very uncertain. None otherwise."""
    if not attrs.get("beyond_rating_curve"):
        return None
    try:
        top = float(attrs.get("rating_curve_max_stage_m"))
    except (TypeError, ValueError):
        return None
    return t("res_beyond_record", lang, top=fmt_number(top, lang))


def one_calendar_note(attrs: dict, lang: str = "fr") -> str | None:
    """A heating run whose buildings all follow one uploaded booking calendar: what that means (a gym's
    calendar turned a town-wide saving of -26,5 % into « -67,8 % », pool and church heated by the gym's
    bookings); with no calendar, that the schedule follows a typical week per building use (a guess); None
    with one building's calendar, or another family. The cards and the report both say it."""
    if attrs.get("scenario") == "heating" and attrs.get("occupancy") == "typical occupancy by building use":
        # no calendar given (or the one given refused): « horaires selon les réservations » follows a typical
        # week per use, a guess — its -26,5 % read as the bookings' own, and a church heated 06:00–22:00
        # every day today saves most of it
        return t("res_typical_occupancy", lang, current=str(attrs.get("current_schedule") or "—"),
                 n=fmt_number(float(attrs.get("buildings", 0) or 0), lang))
    if attrs.get("scenario") != "heating" or attrs.get("occupancy") != "booking calendar":
        return None
    try:
        n = int(float(attrs.get("buildings", 0)))
    except (TypeError, ValueError):
        n = 0
    notes = [t("res_one_calendar", lang, n=fmt_number(n, lang))] if n >= 2 else []
    partial = calendar_span_note(attrs, lang)
    return " ".join(notes + ([partial] if partial else [])) or None


CALENDAR_SHARE_NOTED = 11 / 12
"""A booking calendar spanning less of the simulated year than this (first booking to last) is said to: outside
its span nothing is booked, and the buildings following it count as empty."""


def calendar_span_note(attrs: dict, lang: str = "fr") -> str | None:
    """A heating run's booking calendar that spans part of the year only (a few weeks exported for a whole
    year read « -92 % »): its first and last booking, and that the rest of the year counts as empty; None
    otherwise (no calendar, or one spanning the year)."""
    share = attrs.get("booking_share_of_year")
    if share is None or not attrs.get("booking_first") or float(share) >= CALENDAR_SHARE_NOTED:
        return None

    def day(iso: str) -> str:
        y, m, d = str(iso).split("-")
        return f"{d}/{m}/{y}" if lang != "en" else f"{y}-{m}-{d}"

    return t("res_calendar_partial", lang, first=day(attrs["booking_first"]), last=day(attrs["booking_last"]),
             n=fmt_number(float(attrs.get("booking_count", 0) or 0), lang),
             share=fmt_number(100.0 * float(share), lang, digits=0))


def prior_note(attrs: dict, lang: str = "fr", banded: bool = True) -> str | None:
    """The « a priori » note of an outcome (its attributes ``attrs``) whose figures rest on priors (its
    ``priors`` attribute), else None; ``banded``: its figures show a 5–95 % range (the note says what it
    means), else the note says the run puts no figure on their uncertainty."""
    if not attrs.get("priors"):
        return None
    family = str(attrs.get("scenario"))
    what = t(f"prior_missing_{family}" if family in PRIOR_MISSING else "prior_missing", lang)
    return t("prior_note", lang, what=what, band=t("prior_band" if banded else "prior_no_band", lang))


def family_label(family: str, lang: str = "fr") -> str:
    fr, en = FAMILY_LABELS.get(family, (family, family))
    return en if lang == "en" else fr


def method_label(method: str, lang: str = "fr") -> str:
    """A roadworks day method in ``lang`` (as the model wrote it when unknown)."""
    fr, en = METHOD_LABELS.get(method, (method, method))
    return en if lang == "en" else fr


def kpi_label(name: str, description: str, lang: str = "fr") -> str:
    """A KPI's label from the table of its language (its name made readable when it has none)."""
    if lang == "en":
        return KPI_LABELS_EN.get(name, name.replace("_", " "))
    return KPI_LABELS_FR.get(name, name.replace("_", " "))


def elapsed_text(seconds: float, lang: str = "fr") -> str:
    """A run's time [s] to the tenth (« 1,4 », « 135 »), « moins de 0,1 » under it: « Terminé en 0,0 s »
    read as if nothing had been done."""
    return t("done_under", lang) if seconds < 0.05 else fmt_number(round(seconds, 1), lang)


def fmt_number(x: float, lang: str = "fr", digits: int | None = None, signed: bool = False) -> str:
    """A number for people: three significant digits below 100, none above; French separators in French.

    >>> fmt_number(12345.678)
    '12\u202f346'
    >>> fmt_number(3.14159)
    '3,14'
    >>> fmt_number(-0.5, "en", signed=True)
    '-0.5'
    """
    x = as_number(x)
    if x is None or math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if digits is None:
        a = abs(x)
        digits = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 or a == 0 else 3
    text = f"{x:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    if signed and x > 0:
        text = "+" + text
    if lang == "en":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def as_number(x) -> float | None:
    """``x`` as a float (None stays None). Not-a-number and infinite figures are floats by design, from
    the model to the page; a text "inf" / "nan" (a variant saved before they were) is read back as one,
    anything else that is not a number is a programming error and says so."""
    if x is None:
        return None
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            raise TypeError(f"not a number: {x!r}") from None
    return float(x)


def fmt_points(x: float, lang: str = "fr", signed: bool = True) -> str:
    """A change of a percentage in percentage points, one decimal (below 0.1 point, :func:`fmt_number`'s three
    decimals: never « +0 pts » for a change): « -2,8 pts », on the cards as in the comparison (the card said
    « -2,81 pts », the comparison « -2,8 pts »)."""
    digits = 1 if abs(x) >= 0.1 or x == 0 else None
    return f"{fmt_number(x, lang, digits=digits, signed=signed)}{NBSP}{t('res_points', lang)}"


def fmt_quantity(x: float, unit: str, lang: str = "fr", signed: bool = False) -> str:
    """Number and unit with a no-break space between them (``12 346 km``, ``5,2 %``).

    A figure that is not a number is said in words, without its unit: an infinite duration (a
    payback that never comes, a threshold never crossed) is « jamais » / "never", another infinite
    quantity "∞", a missing one "—".

    >>> fmt_quantity(float("inf"), "ans")
    'jamais'
    >>> fmt_quantity(float("nan"), "h", "en")
    '—'
    >>> fmt_quantity(0.12, "ans")
    '1,44\xa0mois'
    >>> fmt_quantity(0.84, "min", signed=True)
    '+50\xa0s'
    """
    x = as_number(x)
    if x is None or not math.isfinite(x):
        if x is not None and x > 0 and unit in DURATION_UNITS:
            return NEVER["en" if lang == "en" else "fr"]
        return fmt_number(x, lang)
    if unit in ("ans", "years") and 0 < abs(x) < 1:  # « 0,12 an » is read as nothing: « 1,4 mois »
        months = x * 12
        word = "mois" if lang != "en" else ("month" if round(abs(months), 9) == 1 else "months")
        return f"{fmt_number(months, lang, signed=signed)}{NBSP}{word}"
    seconds = x * 60
    # « 0,84 min » is read slowly (and as 84 s): « 50 s »; « 0,25 s », not « 0 s » beside a change of +0,21 %;
    # 0,999 min is « 1 min », not « 60 s »; a change under 5 ms is « 0 s », unsigned (« +0 s » claimed a rise).
    # Whole seconds from 10 s, tenths below, hundredths under one: « 58 s, +8,64 s » and « +0,072 s » claimed
    # more than a drive time's model knows
    if unit == "min" and 0 < abs(x) < 1 and round(abs(seconds)) < 60:
        if round(abs(seconds), 2) == 0:
            return f"0{NBSP}s"
        places = 0 if abs(seconds) >= 9.5 else 1 if abs(seconds) >= 0.95 else 2
        return f"{fmt_number(seconds, lang, signed=signed, digits=places)}{NBSP}s"
    # people and buildings are whole: « +19,8 personnes » (an expected count) claimed a precision the
    # estimate has not; under 10 the decimal stays (0,4 personne is a risk, not nobody)
    # a river stage or a water depth to the centimetre a gauge reads: « +0,064 m » beside « +0,21 m » claimed
    # the millimetre; under a centimetre the three decimals stay (« +0 m » in colour would claim nothing changed)
    places = 0 if unit in WHOLE_UNITS and abs(x) >= 10 else 2 if unit == "m" and 0.01 <= abs(x) < 10 else None
    n = fmt_number(x, lang, signed=signed, digits=places)
    if lang != "en" and unit in SINGULAR_FR and abs(x) < 2:  # French: « 1 conducteur », « 1,5 personne »
        unit = SINGULAR_FR[unit]
    elif lang == "en" and unit in SINGULAR_EN and abs(x) == 1:  # English: "1 driver", "1.5 drivers"
        unit = SINGULAR_EN[unit]
    return f"{n}{NBSP}{unit}" if unit and unit != "-" else n


WHOLE_UNITS = frozenset({"personnes", "people", "bâtiments", "buildings", "logements", "homes"})
"""Units of things counted whole (:func:`fmt_quantity` writes no decimal from 10 on)."""


def shown_change(row: dict):
    """A KPI row's change as its two figures are written: of things counted whole whose value and baseline
    are both written without decimal (from 10 on, :func:`fmt_quantity`), the difference of the two rounded
    figures, as the CLI prints it (:meth:`twin.outcome.Outcome.to_text`) — the page said « +119 personnes »
    where the CLI said « 183 → 301 people +118 » (the exact change, 118,8); else the row's change."""
    value, base, change = row.get("value"), row.get("baseline"), row.get("change")
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in (value, base))
    if row.get("unit") in WHOLE_UNITS and numbers and abs(value) >= 10 and abs(base) >= 10:
        return float(round(value) - round(base))  # half to even, as numpy rounds the CLI's
    return change


def unchanged_as_shown(row: dict) -> bool:
    """A change of zero, or of a whole count whose two figures are written the same (183,4 against 183,2:
    « 183 » both, :func:`shown_change`): nothing the reader sees changed — no « +0 personnes » in colour,
    no « fait moins bien » over it."""
    change = row.get("change")
    if not isinstance(change, (int, float)) or isinstance(change, bool) or not math.isfinite(change):
        return False
    return change == 0 or (row.get("unit") != "%" and shown_change(row) == 0)


SINGULAR_FR = {"personnes": "personne", "conducteurs": "conducteur", "bâtiments": "bâtiment", "trajets": "trajet",
               "logements": "logement", "tronçons": "tronçon", "horloges": "horloge", "armoires": "armoire",
               "site(s)": "site", "ans": "an", "personnes·h": "personne·h", "casses/an": "casse/an",
               "personnes·h/jour": "personne·h/jour", "jours": "jour", "alarmes/an": "alarme/an"}
"""French units in the plural and their singular, for a figure under 2 (the French rule: « 1,5 an »)."""
SINGULAR_EN = {"people": "person", "drivers": "driver", "buildings": "building", "trips": "trip", "homes": "home",
               "street segments": "street segment", "clocks": "clock", "cabinets": "cabinet", "sites": "site",
               "years": "year", "bursts/year": "burst/year", "days": "day", "alarms/year": "alarm/year"}


def list_example(name: str, items: str, lang: str = "fr") -> str:
    """How to type the list ``name`` whose items are ``items`` (:func:`twin.app.list_text.item_kind`): the
    parameter's own example when the catalogue has one (buildings: a name or an id), else its kind's."""
    key = f"list_example_{name}"
    return t(key if key in STRINGS else f"list_example_{items}", lang)


def page_lang_script(lang: str) -> str:
    """A script that declares the page's language on ``<html>`` (Panel's template writes ``lang="en"``
    whatever the page says: a screen reader read the French page with English rules, a browser offered
    to translate it "from English")."""
    code = "fr" if lang == "fr" else "en"
    # and the phone's width: Panel's template has no viewport, so a phone drew the page 980 px wide and
    # shrank it to 0,4 (text 4–5 px tall, buttons no finger could hit)
    viewport = ("if(!document.querySelector('meta[name=viewport]')){var m=document.createElement('meta');"
                "m.name='viewport';m.content='width=device-width, initial-scale=1';document.head.appendChild(m);}")
    return f"<script>document.documentElement.lang='{code}';{viewport}</script>"
