"""Strings of the page's result part: {key: (French, English)}.

``res_*``: what the result views (:mod:`twin.app.views`) and the KPI cards (:mod:`twin.app.cards`)
say about a run — whether a flood chart is a forecast or a replay and when it was issued, the
changes of a percentage in points, the cards left out because they have no value and why, and the
other variants a run computed (the lighting's « tout LED »).
"""

STRINGS: dict[str, tuple[str, str]] = {
    # --- the flood chart (twin.app.views.flood): what it is, when it was issued, its axes
    "res_flood_forecast_title": (
        "Prévision émise le {date} à {hour} h (heure de Paris) : hauteur d'eau prévue à la station (m)",
        "Forecast issued on {date} at {hour}:00 (Paris time): forecast stage at the gauge (m)"),
    "res_flood_prior_title": ("A priori, sans station : hauteur d'eau dans la rivière (m)",
                              "A priori, without a gauge: water depth in the river (m)"),
    "res_flood_hours_axis": ("heures après le début de la pluie de projet", "hours after the design storm begins"),
    "res_flood_prior_hover": (
        "à alerter : sous l'eau dans {pct} % des tirages a priori ({depth} m au 90e centile)",
        "to alert: under water in {pct} % of the prior's draws ({depth} m at the 90th percentile)"),
    "res_flood_hindcast_title": (
        "Rejeu avec la pluie observée, depuis le {date} à {hour} h (heure de Paris) : hauteur d'eau à la station (m)",
        "Replay with the observed rain, from {date} at {hour}:00 (Paris time): stage at the gauge (m)"),
    "res_flood_whatif_title": (
        "Scénario : pluie observée × {scale}, depuis le {date} à {hour} h (heure de Paris) : hauteur d'eau à la station (m)",
        "What-if: observed rain × {scale}, from {date} at {hour}:00 (Paris time): stage at the gauge (m)"),
    "res_flood_whatif_note": (
        "Scénario « et si » : la pluie réellement tombée, multipliée par {scale}. Ce n'est ni une prévision ni ce "
        "qui s'est passé : une crue plus forte imaginée pour tester l'alerte.",
        "What-if: the rain that really fell, multiplied by {scale}. Neither a forecast nor what happened: a bigger "
        "flood imagined to test the alert."),
    "res_flood_ensemble_replay_note": (
        "Rejeu : un ensemble de pluies tirées autour de la pluie réellement tombée (connue après coup) : ce n'est "
        "pas une prévision.",
        "Hindcast: an ensemble of rains drawn around the rain that really fell (known afterwards): not a forecast."),
    # --- the flood forecast's record on past floods (twin.app.views.flood_record)
    "res_record_title": ("Fiabilité : la prévision par pluies analogues rejouée sur les crues passées",
                         "Record: the analog-rain forecast replayed on past floods"),
    "res_record_no_gauge": ("Sans station de débit, la prévision est un a priori sans modèle calé : pas de prévisions "
                            "passées à rejouer.", "Without a discharge gauge the forecast is a prior with no fitted "
                            "model: no past forecasts to replay."),
    "res_record_fewer": ("{found} crue(s) passée(s) trouvée(s) sur {asked} demandée(s) : une crue atteint le seuil "
                         "jaune, une prévision rejouée demande {days} jours d'historique avant elle, et sa "
                         "vérification doit finir avant l'instant de prévision.", "{found} past flood(s) found of "
                         "{asked} asked: a "
                         "flood reaches the yellow level, a replayed forecast needs {days} days of history before it, "
                         "and its check must end before the forecast time."),
    "res_record_how": ("Prévisions émises {leads} h avant le pic de chacune des {n} plus fortes crues lues à l'échelle "
                       "avant cette prévision, comme émises à l'époque : pluie à venir inconnue ({members} pluies "
                       "analogues des saisons passées, quelle que soit la pluie choisie ci-dessus), {model}. Pic "
                       "prévu (médiane des tirages) et son écart au pic lu ; un seuil est « annoncé » quand la "
                       "hauteur médiane prévue le dépasse.",
                       "Forecasts issued {leads} h before the peak of each of the {n} highest floods the gauge read "
                       "before this forecast, as issued then: the rain to come unknown ({members} analog rains of "
                       "past seasons, whatever rain is chosen above), {model}. Forecast peak (the draws' median) and "
                       "its error against the peak read; a level is « announced » when the median forecast stage "
                       "exceeds it."),
    "res_record_model_calibrated": ("modèle calé sur l'historique (jusqu'à un an) avant la première",
                                    "the model calibrated on the history (up to a year) before the first"),
    "res_record_model_given": ("paramètres GR4H donnés dans le formulaire, non calés ici : s'ils ont été ajustés sur "
                               "ces crues, le bilan est flatteur", "GR4H parameters given in the form, not calibrated "
                               "here: if they were fitted on these floods, the record flatters the forecast"),
    "res_record_level_at_issue": (" ({n} prévision(s) émise(s) avec l'échelle déjà au-dessus, non comptées)",
                                  " ({n} forecast(s) issued with the gauge already above it, not counted)"),
    "res_record_none": ("non calculée (champ « Fiabilité : crues passées rejouées » à 0).",
                        "not computed (field “Record: past floods replayed” at 0)."),
    "res_record_none_found": ("aucune crue passée à rejouer.", "no past flood to replay."),
    "res_record_compare_head": ("Fiabilité de chaque prévision sur les crues passées du territoire",
                                "Each forecast's record on the territory's past floods"),
    "res_record_compared": ("{n} prévisions rejouées sur {floods} crue(s) passée(s).",
                            "{n} forecasts replayed on {floods} past flood(s)."),
    "res_record_flood": ("Crue (pic lu, heure de Paris)", "Flood (peak read, Paris time)"),
    "res_record_observed": ("Pic lu à l'échelle", "Peak read at the gauge"),
    "res_record_lead": ("Prévu {h} h avant", "Forecast {h} h before"),
    "res_record_error": ("écart {error}", "error {error}"),
    "res_record_errors": ("Pic prévu : écart moyen de {mean} en valeur absolue, {bias} en moyenne (de {low} à "
                          "{high}) ; son heure : {hours} h d'écart médian, en valeur absolue (au plus {worst} h).",
                          "Forecast peak: {mean} off on average in absolute value, {bias} on average (from {low} to "
                          "{high}); its time: {hours} h off at the median, in absolute value (at most {worst} h)."),
    "res_record_at_issue": ("{h} à l'émission", "{h} at issue"),
    "res_record_read": (" (lu : {h})", " (read: {h})"),
    "res_record_on_time": ("pic à l'heure", "peak on time"),
    "res_record_early": ("pic {h} h trop tôt", "peak {h} h early"),
    "res_record_late": ("pic {h} h trop tard", "peak {h} h late"),
    "res_record_probability": ("probabilité donnée : {came} % en moyenne quand il a été atteint, {quiet} % quand il ne "
                               "l'a pas été", "probability given: {came} % on average when it came, {quiet} % when it "
                               "did not"),
    "res_record_sample": ("{n} prévisions sur {floods} crue(s) : un petit échantillon, et les prévisions d'une même "
                          "crue se ressemblent ; un seuil jamais atteint n'y est pas mis à l'épreuve.", "{n} forecasts "
                          "of "
                          "{floods} flood(s): a small sample, and the forecasts of one flood are alike; a level never "
                          "reached is not put to the test."),
    "res_record_level": ("{level} : atteint dans {came} des prévisions comptées, annoncé par {hits} de ces {came} ; "
                         "annoncé à tort {false} fois sur {n}", "{level}: reached within {came} of the forecasts "
                         "counted, announced by {hits} of these {came}; announced wrongly {false} times of {n}"),
    "res_record_level_always": ("{level} : atteint dans chacune des {came} prévisions comptées, annoncé par {hits} "
                                "sur {came}", "{level}: reached within each of the {came} forecasts counted, announced "
                                "by {hits} of {came}"),
    "res_record_level_always_one": ("{level} : atteint dans la seule prévision comptée, annoncé par {hits} sur 1",
                                    "{level}: reached within the only forecast counted, announced by {hits} of 1"),
    "res_record_level_all_at_issue": ("{level} : l'échelle le dépassait déjà à l'émission de chacune des {n} "
                                      "prévisions : aucune ne le prévoyait", "{level}: the gauge already stood above "
                                      "it when each of the {n} forecasts was issued: none forecast it"),
    "res_record_level_never": ("{level} : jamais atteint ; annoncé à tort {false} fois sur {n}",
                               "{level}: never reached; announced wrongly {false} times of {n}"),
    "res_record_synthetic": ("Séries SYNTHÉTIQUES, générées par le modèle de prévision lui-même : ce bilan montre "
                             "qu'il retrouve son propre modèle, il ne le valide pas sur une vraie rivière.",
                             "SYNTHETIC series, generated by the forecasting model itself: this record shows it "
                             "recovers its own model, it does not validate it on a real river."),
    "res_flood_time_axis": ("date et heure (heure de Paris)", "date and time (Paris time)"),
    "res_detour_streets": ("Rues qui gagnent le plus de trafic à la pointe : {streets}",
                           "Streets that gain most traffic at the peak: {streets}"),
    "res_detour_street": ("{name} ({change} véhicules/h)", "{name} ({change} vehicles/h)"),
    "res_unnamed_street": ("rue sans nom (voie OSM {way})", "unnamed street (OSM way {way})"),
    "res_unnamed_street_one": ("rue sans nom donnant sur {streets} (voie OSM {way})",
                               "unnamed street off {streets} (OSM way {way})"),
    "res_unnamed_street_between": ("rue sans nom entre {streets} (voie OSM {way})",
                                   "unnamed street between {streets} (OSM way {way})"),
    # how much street the works hold: « Grande Rue » closed 37 m of drivable street, read as the whole street
    # « (1 tronçon(s) : Rue des Douves (tronçon de 106 m)), » read clumsily (a planner's walkthrough)
    "res_works_extent": ("Les travaux portent sur {length}\u00a0m de rue en {segments} : {where} ; {how}.",
                         "The works hold {length}\u00a0m of street in {segments}: {where}; {how}."),
    "res_works_segments_one": ("{n}\u00a0tronçon", "{n}\u00a0segment"),
    "res_works_segments_many": ("{n}\u00a0tronçons", "{n}\u00a0segments"),
    "res_forecast_hour": ("Prévision demandée le {asked} (heure de Paris) : le modèle avance par heures, elle part "
                          "de l'heure qui la contient, le {ran}.",
                          "Forecast asked for {asked} (Paris time): the model steps by hours, it runs from the hour "
                          "it falls in, {ran}."),
    "res_works_zone": ("les rues de la zone dessinée", "the streets of the drawn zone"),
    "res_works_closed": ("fermée à toute circulation", "closed to all traffic"),
    "res_works_closed_residents": ("fermée sauf riverains", "closed except for residents"),
    "res_works_behind": (" ; {n}\u00a0bâtiments ne sont desservis que par les rues en travaux : leurs habitants y "
                         "passent encore (à leur temps de trajet réel)", "; {n}\u00a0buildings are reached only "
                         "through the streets under works: their residents still drive through (at their real "
                         "travel time)"),
    "res_works_capacity": ("capacité réduite à {pct}\u00a0%", "capacity cut to {pct}\u00a0%"),
    "res_works_both_directions": (" dans les deux sens", " in both directions"),
    "res_works_one_direction": (" dans un seul sens (celui où OpenStreetMap dessine chaque voie)",
                                " in one direction only (the one OpenStreetMap draws each way in)"),
    "res_one_day": ("Les totaux « sur la plage horaire » sont ceux d'un jour de semaine type, de {start} à {end} : pour des "
                    "travaux de plusieurs jours, multipliez-les par leur nombre de jours ouvrés.",
                    "The totals « over the window » are one typical weekday's, {start} to {end}: for works lasting several "
                    "days, multiply them by their number of working days."),
    "res_signed_detour": ("Déviation fléchée ({streets}) : {change} véhicules/h sur le tronçon qui en gagne le plus.",
                          "Signed detour ({streets}): {change} vehicles/h on the segment that gains most."),
    # one booking calendar followed by several buildings: a gym's bookings heated the church by them
    "res_typical_occupancy": ("Aucun calendrier de réservations : « horaires selon les réservations » suit ici une "
                              "semaine type par usage de bâtiment (école en semaine, église le dimanche matin…), "
                              "une hypothèse et non vos réservations. Chargez le calendrier (.ics ou .csv) d'un "
                              "bâtiment pour ses heures réelles. L'économie dépend aussi de la programmation "
                              "d'aujourd'hui, supposée ici la même tous les jours dans les {n} bâtiments : {current} "
                              "(« Aujourd'hui "
                              ": heures chauffées à la consigne de jour » ; une église ou un tribunal chauffé ainsi "
                              "économise le plus).",
                              "No booking calendar: « booking schedule » follows a typical week per building use "
                              "here (school on weekdays, church on Sunday mornings…), an assumption, not your "
                              "bookings. Upload a building's calendar (.ics or .csv) for its real hours. The saving "
                              "also depends on today's programming, assumed here the same every day in the {n} "
                              "buildings: {current} (« Today: hours heated to the day setpoint »; a church or a "
                              "court heated so saves most)."),
    "res_calendar_partial": ("Le calendrier de réservations ne va que du {first} au {last} ({n} réservations, "
                             "{share} % de l'année simulée) : hors de ces dates, les bâtiments qui le suivent sont "
                             "comptés vides (hors gel). Si leurs réservations continuent le reste de l'année, "
                             "l'économie affichée est surestimée : donnez le calendrier de l'année entière.",
                             "The booking calendar only runs from {first} to {last} ({n} bookings, {share} % of the "
                             "simulated year): outside these dates the buildings following it count as empty "
                             "(frost protection). If their bookings go on the rest of the year, the saving shown "
                             "is overstated: give the whole year's calendar."),
    "res_one_calendar": ("Un seul calendrier de réservations, suivi par les {n} bâtiments du calcul : chacun est "
                         "chauffé pendant ces réservations seulement. Pour ne l'appliquer qu'au bâtiment qu'il "
                         "décrit, choisissez ce seul bâtiment dans « Bâtiments ».",
                         "One booking calendar, followed by the {n} buildings of the run: each is heated during these "
                         "bookings only. To apply it to the building it describes alone, choose that building in "
                         "“Buildings”."),
    "card_note_sensors_fitted": ("{n} corbeilles ont déjà un capteur de remplissage dans les données du territoire : "
                                 "aucun n'est acheté pour elles (pour chiffrer leur achat, décochez « Les corbeilles "
                                 "ont déjà leurs capteurs de remplissage » dans « Hypothèses avancées »)",
                                 "{n} bins already have a fill sensor in the territory's data: none is bought for "
                                 "them (to price them, untick “The bins already carry their fill sensors” in "
                                 "“Advanced assumptions”)"),
    "payback_over_policy_alone": ("mesuré par rapport à la même collecte sans les corbeilles compactantes ni les "
                                  "corbeilles ajoutées, pas à la situation actuelle : ce que les corbeilles achetées "
                                  "font gagner en plus", "measured against the same collection without the compacting "
                                  "or added bins, not today's situation: what the bins bought save on top"),
    "payback_over": ("mesuré par rapport à « {name} » seul, pas à la situation actuelle",
                     "measured against “{name}” alone, not today's situation"),
    "res_setpoint_rule": ("Consignes {delta} °C : {heating} % du gaz de chauffage ({all} % de tout le gaz : l'eau "
                          "chaude et les autres usages ne changent pas), soit {size} °C sur un écart équivalent "
                          "d'environ {gap} °C entre la consigne et l'extérieur, apports gratuits (occupants, "
                          "éclairage, soleil) déduits, pendant les heures chauffées. {rule}",
                          "Setpoints {delta} °C: {heating} % of the heating gas ({all} % of all the gas: hot water and "
                          "other uses do not change), that is {size} °C out of an equivalent gap of about {gap} °C "
                          "between setpoint and outdoors, free gains (people, lighting, sun) deducted, over the hours "
                          "heated. {rule}"),
    "res_setpoint_rule_more": ("La règle « 7 % par degré » suppose un écart d'environ 14 °C : ici, plus faible (climat "
                               "doux, apports), un degré pèse plus.",
                               "The « 7 % per degree » rule assumes a gap of about 14 °C: smaller here (a mild "
                               "climate, gains), a degree weighs more."),
    "res_setpoint_rule_same": ("C'est l'écart d'environ 14 °C que suppose la règle « 7 % par degré ».",
                               "That is the gap of about 14 °C the « 7 % per degree » rule assumes."),
    "res_setpoint_rule_less": ("La règle « 7 % par degré » suppose un écart d'environ 14 °C : ici, plus grand (climat "
                               "froid, peu d'apports), un degré pèse moins.",
                               "The « 7 % per degree » rule assumes a gap of about 14 °C: larger here (a cold "
                               "climate, few gains), a degree weighs less."),
    "res_setpoint_comfort": ("Ses {hours} h d'inconfort de plus se comptent sous 18,5 °C, la même référence pour "
                             "toutes les variantes : une consigne abaissée y compte ses heures occupées par "
                             "construction, non par une panne de chauffe — c'est le prix en confort de l'économie, à "
                             "peser.",
                             "Its {hours} h more of discomfort are counted under 18.5 °C, the same reference for "
                             "every variant: a lowered setpoint counts its occupied hours there by construction, not "
                             "from a heating failure — the comfort price of the saving, to weigh."),
    "res_bms_tradeoff": ("Le pilotage automatique du chauffage (GTB) coûte {eur} €/an de gaz de plus que les seuls horaires selon les réservations : son "
                         "démarrage optimisé chauffe plus tôt pour que les lieux soient à température à l'arrivée, "
                         "et épargne ainsi {hours} h d'inconfort par an.",
                         "The BMS burns {eur} €/year more gas than the booking schedule alone: its optimum start "
                         "heats earlier so that rooms are warm when people arrive, sparing {hours} h of discomfort "
                         "a year."),
    "res_rule_slip": ("Ces résultats suivent la règle telle qu'elle est écrite : {rules}. Corrigez les heures et "
                      "relancez si ce n'était pas voulu.",
                      "These results follow the rule as written: {rules}. Correct the hours and run again if that "
                      "was not meant."),
    "res_undimmable": ("L'abaissement ne s'applique qu'aux lampadaires équipés pour l'abaisser : {undimmable} des "
                       "{asked} lampadaires visés ne sont pas gradables et restent à pleine puissance pendant "
                       "l'abaissement (les remplacer par des LED les rendrait gradables).",
                       "Dimming applies only to lamps equipped for it: {undimmable} of the {asked} lamps it targets "
                       "cannot dim and stay at full power meanwhile (replacing them with LEDs would make them "
                       "dimmable)."),
    "res_single_run": ("Un seul déroulé calculé (une pluie, pas un ensemble) : la « médiane » et le « 95 % » de la "
                       "hauteur maximale sont ceux de ce déroulé, et chaque probabilité vaut 0 ou 100 % selon qu'il "
                       "franchit le seuil. Pour mesurer l'incertitude, choisissez la pluie « {ensemble} ».",
                       "One run computed (one rain, not an ensemble): the peak stage's « median » and « 95 % » are that "
                       "run's, and each probability is 0 or 100 % as it crosses the level or not. To measure the "
                       "uncertainty, choose the « {ensemble} » rain."),
    "res_shorter_but_slower": (
        "Moins de kilomètres ({km}) mais plus de temps au volant ({hours}) : des conducteurs quittent un itinéraire "
        "plus long mais plus rapide pour des rues plus courtes et plus lentes. Le CO2 est compté au kilomètre, avec "
        "un facteur moyen qui ignore les ralentissements : sa baisse n'est pas une amélioration démontrée.",
        "Fewer kilometres ({km}) but more time at the wheel ({hours}): drivers leave a longer but faster route for "
        "shorter, slower streets. CO2 is counted per kilometre, with a mean factor blind to the slowdowns: its "
        "fall is no proven improvement."),
    "res_peak_hour_note": ("Les travaux évitent l'heure de pointe du jour ({day}) : les indicateurs « à la pointe » "
                           "et la carte sont calculés à leur heure la plus chargée, {works}.",
                           "The works miss the day's peak hour ({day}): the \"peak\" indicators and the map are "
                           "at their own busiest hour, {works}."),
    "res_peak_hour_note_flood": ("Les rues sont fermées en dehors de l'heure de pointe du jour ({day}) : les "
                                 "indicateurs « à la pointe » et la carte sont calculés à leur heure la plus "
                                 "chargée, {works}.",
                                 "The streets are closed outside the day's peak hour ({day}): the \"peak\" "
                                 "indicators and the map are at their own busiest hour, {works}."),
    "res_flood_stage_axis": ("hauteur (m)", "stage (m)"),
    # --- the KPI cards (twin.app.cards)
    "res_points": ("pts", "pts"),
    # a flood run's lists as files (twin.app.builder_run: the page's downloads)
    "res_download_buildings_to_alert": ("Télécharger la liste des bâtiments à alerter ({n}, CSV)",
                                        "Download the {n} buildings to alert (CSV)"),
    "res_download_streets_to_close": ("Télécharger la liste des tronçons de rue à fermer ({n}, CSV)",
                                      "Download the {n} street segments to close (CSV)"),
    "res_download_building_ranking": ("Télécharger le classement des {n} bâtiments (CSV)",
                                      "Download the ranking of the {n} buildings (CSV)"),
    "res_download_building_ranking_one": ("Télécharger les économies du bâtiment (CSV)",
                                          "Download the savings of the building (CSV)"),
    "rank_col_building": ("Bâtiment", "Building"),
    "rank_col_id": ("Identifiant", "Id"),
    "rank_col_use": ("Usage", "Use"), "rank_col_address": ("Adresse", "Address"),
    "rank_unnamed": ("{what} (sans nom dans OpenStreetMap)", "{what} (no name in OpenStreetMap)"),
    "rank_building": ("bâtiment", "building"),
    "rank_footprint": ("{what}, {area} m² au sol", "{what}, {area} m² footprint"),
    "rank_col_gas_today": ("Gaz aujourd'hui (kWh/an)", "Gas today (kWh/yr)"),
    "rank_col_saving_kwh": ("{action} : gaz économisé (kWh/an)", "{action}: gas saved (kWh/yr)"),
    "rank_col_saving_pct": ("{action} : gaz économisé (%)", "{action}: gas saved (%)"),
    "rank_col_cold_h": ("{action} : heures occupées trop froides (h/an)", "{action}: occupied hours too cold (h/yr)"),
    "res_download_cut_off_buildings": ("Télécharger la liste des bâtiments coupés du réseau pendant les travaux ({n}, "
                                       "CSV)", "Download the list of the buildings the works cut off ({n}, CSV)"),
    "res_issue_forecast": ("Prévision émise le {date} à {hour} h (heure de Paris)",
                           "Forecast issued on {date} at {hour}:00 (Paris time)"),
    "res_issue_replay": ("Rejeu sur la pluie tombée, depuis le {date} à {hour} h (heure de Paris)",
                         "Replay on the rain that fell, from {date} at {hour}:00 (Paris time)"),
    "res_issue_scaled": ("Scénario « et si » : pluie tombée × {scale}, depuis le {date} à {hour} h (heure de "
                         "Paris)", "What-if: the rain that fell × {scale}, from {date} at {hour}:00 (Paris time)"),
    "res_issue_stage": (" ; l'échelle lisait {stage}\u00a0m le {date} à {hour} h",
                        "; the gauge read {stage}\u00a0m on {date} at {hour}:00"),
    "res_issue_reached": (" : {level} déjà atteint", ": {level} already reached"),
    "res_issue_no_stage": (" ; aucune lecture de l'échelle dans les 3 h d'avant : la prévision seule dit où est la "
                           "rivière", "; no gauge reading in the 3 h before: the forecast alone says where the river "
                           "is"),
    "res_download_past_forecasts": ("Télécharger les {n} prévisions rejouées sur les crues passées (CSV)",
                                    "Download the {n} forecasts replayed on past floods (CSV)"),
    "res_download_other": ("Télécharger la liste « {name} » (CSV)", "Download the list “{name}” (CSV)"),
    "res_within_noise": ("écart plus petit que l'incertitude : ni mieux ni moins bien",
                         "a difference smaller than the uncertainty: neither better nor worse"),
    "res_unchanged": ("inchangé par rapport à la situation actuelle", "unchanged from the baseline"),  # a change of a percentage: points, not a percent of a percent
    "res_hidden": ("Sans valeur dans ce calcul, donc non affichés : {labels}.",
                   "No value in this run, hence not shown: {labels}."),
    "res_other_variant": ("Variante calculée en plus : {name}", "Variant also computed: {name}"),
    "res_col_kpi": ("Indicateur", "Indicator"),
    "res_col_value": ("Valeur", "Value"),
    "res_col_change": ("Écart avec la situation actuelle", "Change from the baseline"),
    "res_variant_of": ("Variante : {name}", "Variant: {name}"),
    # variant names a scenario gives by default (English in the model), said for people
    "res_variant_schedule": ("nouveaux horaires d'éclairage", "new lighting schedule"),
    "res_variant_led_retrofit": ("tout LED (chaque lampe non LED remplacée, horaires d'aujourd'hui)",
                                 "all LED (every non-LED lamp replaced, today's schedule)"),
    # the heating's four variants (twin.scenarios.heating names them in English, with spaces: their keys
    # are given by twin.app.views.common.MODEL_VARIANT_KEYS); the setpoint variant's change is the
    # scenario's « Variation des consignes », shown with the parameters
    "res_variant_booking": ("horaires selon les réservations", "booking schedule"),
    "res_variant_setpoint": ("consignes modifiées", "changed setpoints"),
    "res_variant_retrofit": ("rénovation de l'enveloppe", "envelope retrofit"),
    "res_variant_bms_booking": ("pilotage automatique (GTB) + horaires selon les réservations", "BMS + booking schedule"),
    # why a card has no value (twin.app.views.notes): one plain sentence instead of empty cards
    "res_fd_no_emergency": (
        "Temps d'accès des pompiers et de l'hôpital non calculés : la carte de la commune ne montre ni caserne "
        "de pompiers ni hôpital (ceux qui la desservent sont plus loin). Ajoutez-les à la carte pour les "
        "calculer.",
        "Fire-station and hospital access times not computed: the town's map shows neither a fire station nor "
        "a hospital (those serving it are further away). Add them to the map to compute them."),
    "res_fd_no_fire": (
        "Temps d'accès des pompiers non calculés : la carte de la commune ne montre aucune caserne de "
        "pompiers.", "Fire-station access times not computed: the town's map shows no fire station."),
    "res_fd_no_hospital": (
        "Temps d'accès à l'hôpital non calculés : la carte de la commune ne montre aucun hôpital.",
        "Hospital access times not computed: the town's map shows no hospital."),
    "res_flood_peak_beyond": ("{label} : la hauteur médiane monte encore à la fin de l'horizon ; le pic viendra "
                              "après, allongez l'horizon pour le voir.",
                              "{label}: the median stage still rises at the horizon's end; the peak comes later, "
                              "lengthen the horizon to see it."),
    "res_flood_never": ("{label} : ce niveau n'est atteint dans aucun des tirages, sur tout l'horizon.",
                        "{label}: no draw reaches this level within the horizon."),
    # --- the lighting map: which variant it shows (a run may compute two: the schedule and « tout LED »)
    "res_lighting_caption": ("Lampadaires : énergie de la nuit, en part d'une nuit à pleine puissance, dans la variante "
                             "« {variant} » (doré : toute la nuit à pleine puissance ; plus sombre : éteint ou abaissé "
                             "une partie de la nuit)",
                             "Lamps: the night's energy, as a share of a whole night at full power, in the variant "
                             "“{variant}” (gold: all night at full power; darker: off or dimmed part of the night)"),
    # --- the hourly traffic figure: its day method on a second line (one line overflowed a 1024 px screen)
    "res_roadworks_title_method": ("Trafic heure par heure : temps total au volant\n({method})",
                                   "Traffic hour by hour: vehicle-hours\n({method})"),
    # --- the run's status: why a run ended without a result (the ``why`` of ``run_failed``)
    "res_run_interrupted": ("interrompu", "interrupted"),
    # --- the flood-detours view (twin.app.views.flood_detours)
    "res_fd_nothing_closed": (
        "La crue choisie ne ferme aucune rue : pas de déviation, et les secours passent comme d'habitude.",
        "The chosen flood closes no street: no detour, and emergency services drive as usual."),
    # --- the water-break view (twin.app.views.water)
    "water_caption": ("Casse d'une conduite (réseau SYNTHÉTIQUE posé sous les rues) : en noir, les conduites fermées "
                      "pour la réparation ({valves}) ; en rouge, les rues sans eau ; en orange, les rues en pression "
                      "basse (survolez : combien d'heures)",
                      "Main break (SYNTHETIC network laid under the streets): black, the pipes shut for the repair "
                      "({valves}); red, the streets without water; orange, the streets under the service pressure "
                      "(hover: for how long)"),
    "water_valves_one": ("1 vanne à fermer", "1 valve to close"),
    "water_valves_many": ("{n} vannes à fermer", "{n} valves to close"),
    "res_low_pressure": ("Ce réglage laisse {added} personnes·h par jour de plus qu'aujourd'hui sous la pression de "
                         "service ({service} m) : étages hauts et défense incendie sont à vérifier avant de le "
                         "retenir, même s'il se rembourse.",
                         "This setting leaves {added} more people·h a day than today under the service pressure "
                         "({service} m): upper floors and fire-fighting supply need checking before choosing it, "
                         "even if it pays back."),
    "water_caption_buildings_one": ("En rouge aussi : le bâtiment sans eau (à prévenir).",
                                    "Red too: the building without water (to warn)."),
    "water_caption_buildings": ("En rouge aussi : les {n} bâtiments sans eau (à prévenir).",
                                "Red too: the {n} buildings without water (to warn)."),
    "water_caption_no_map": ("Le réseau vient d'un fichier EPANET sans lien avec les rues de la carte : les "
                             "indicateurs et les listes valent, la carte n'en montre rien.",
                             "The network comes from an EPANET file not tied to the map's streets: the indicators "
                             "and lists hold, the map shows none of it."),
    "water_hover": ("conduite {pipe} (DN {dn})", "pipe {pipe} (DN {dn})"),
    "water_hover_shut": ("conduite {pipe} (DN {dn}) : fermée pour la réparation", "pipe {pipe} (DN {dn}): shut for the repair"),
    "water_hover_low": ("conduite {pipe} (DN {dn}) : pression basse {hours} h", "pipe {pipe} (DN {dn}): low pressure {hours} h"),
    "water_hover_dry": ("conduite {pipe} (DN {dn}) : sans eau {hours} h", "pipe {pipe} (DN {dn}): without water {hours} h"),
    "water_building_hover": ("sans eau {hours} h, {people} personnes (estimation)",
                             "without water {hours} h, {people} people (estimate)"),
    "water_title": ("Débit de la fuite heure par heure (pointillés : casse, isolement, remise en eau)",
                    "The break's outflow hour by hour (dashed: break, isolation, water back)"),
    "water_leak_legend": ("fuite (L/s)", "leak (L/s)"),
    # --- the water-pressure view (twin.app.views.water_pressure)
    "wp_caption": ("Pression la nuit ({hours}) sous chaque rue (réseau SYNTHÉTIQUE posé sous les rues) : bleu foncé "
                   "au-dessus de 40 m, bleu de 30 à 40 m, bleu clair de 20 à 30 m ; en rouge, sous la pression de "
                   "service ({service} m) à un moment de la journée ; le trait est plus large là où la pression "
                   "baisse le plus",
                   "Night pressure ({hours}) under each street (SYNTHETIC network laid under the streets): dark blue "
                   "above 40 m, blue 30–40 m, light blue 20–30 m; red, under the service pressure ({service} m) at "
                   "some time of day; the line is wider where the pressure falls most"),
    "wp_gravity": ("Réseau alimenté par gravité depuis le château d'eau : pas de pompage, d'où 0 kWh et 0 €.",
                   "A network fed by gravity from the water tower: no pumping, hence 0 kWh and €0."),
    "wp_hover": ("pression la nuit : {before} m → {after} m (la plus basse de la journée : {lowest} m)",
                 "night pressure: {before} m → {after} m (lowest of the day: {lowest} m)"),
    "wp_title": ("Pression heure par heure (ligne rouge : pression de service)",
                 "Pressure hour by hour (red line: service pressure)"),
    "wp_legend_entry_baseline": ("entrée du réseau, aujourd'hui", "network entry, today"),
    "wp_legend_entry": ("entrée du réseau, variante", "network entry, variant"),
    "wp_legend_lowest_baseline": ("nœud le moins bien desservi, aujourd'hui", "worst-served junction, today"),
    "wp_legend_lowest": ("nœud le moins bien desservi, variante", "worst-served junction, variant"),
    "wp_axis_x": ("heure de la journée", "hour of the day"),
    "wp_axis_y": ("pression (m d'eau ; 10 m = 1 bar)", "pressure (m of water; 10 m = 1 bar)"),
    # --- the water-meters view (twin.app.views.water_meters)
    "wm_caption": ("{n} secteurs comptés (réseau SYNTHÉTIQUE posé sous les rues), chacun dans sa couleur : en noir, "
                   "les conduites équipées d'un compteur ({meters}) ; en rouge, les {closed} limites fermées",
                   "{n} metered districts (SYNTHETIC network laid under the streets), each in its colour: black, "
                   "the pipes carrying a meter ({meters}); red, the {closed} boundaries shut"),
    "wm_capped": ("{asked} secteurs demandés, {made} faits : au plus un secteur pour {per} nœuds du réseau ({junctions} "
                  "nœuds) ; les compteurs et l'investissement sont ceux des {made} secteurs",
                  "{asked} districts asked, {made} made: at most one per {per} network nodes ({junctions} nodes); the "
                  "meters and the investment are the {made} districts'"),
    "wm_meters_all": ("{n} compteurs", "{n} meters"),
    "wm_meters_tower": ("{n} compteurs, dont celui de la sortie du château d'eau, hors des rues",
                        "{n} meters, one of them at the water tower's outlet, off the streets"),
    "wm_hover_meter": ("conduite {pipe} : compteur du secteur {district}", "pipe {pipe}: meter of district {district}"),
    "wm_hover_closed": ("conduite {pipe} : limite de secteur, vanne fermée", "pipe {pipe}: district boundary, valve shut"),
    "wm_hover_pipe": ("conduite {pipe} : secteur {district}", "pipe {pipe}: district {district}"),
    "wm_district": ("secteur {n}", "district {n}"),
    "wm_title": ("Jours pour qu'un compteur de secteur voie une fuite (médiane d'essais simulés)",
                 "Days for a district meter to see a leak (median of simulated trials)"),
    "wm_unseen": ("Dans le graphique, un secteur sans barre n'a vu la fuite que dans moins de la moitié des essais.",
                  "In the chart, a district without a bar saw the leak in fewer than half the trials."),
    "wm_legend_main": ("casse sur conduite", "main burst"),
    "wm_legend_service": ("fuite sur branchement", "service leak"),
    "wm_axis_y": ("jours", "days"),

    "water_axis_clock": ("heure (horloge du réseau ; +1 j : le lendemain)", "time (the network's clock; +1 d: the next day)"),
    "water_axis_x": ("heures depuis le début de la simulation", "hours from the simulation's start"),
    "water_axis_y": ("L/s", "L/s"),
    "res_download_buildings_without_water": ("Télécharger la liste des bâtiments sans eau ({n}, CSV)",
                                             "Download the {n} buildings without water (CSV)"),
    "res_download_valves_to_close": ("Télécharger la liste des vannes à fermer ({n}, CSV)",
                                     "Download the list of the valves to close ({n}, CSV)"),
    "res_download_nodes_without_water": ("Télécharger les nœuds du réseau sans eau (CSV)",
                                         "Download the network's junctions without water (CSV)"),
    "res_download_sensitive_sites": ("Télécharger la liste des sites sensibles (CSV)",
                                     "Download the list of sensitive sites (CSV)"),
}
