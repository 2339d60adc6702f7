"""Strings of the page's comparison part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
    # the verdict line of an impact (twin.app.verdicts.verdict)
    "compare_verdicts": ("Verdict par impact", "Verdict by impact"),
    # the « variants to compare » picker (Choices.js's own English words replaced: twin.app.forms.CHOICES_CSS)
    "compare_pick_placeholder": ("Choisir des variantes…", "Pick variants…"),
    "compare_pick_none": ("Aucune variante de ce nom", "No variant of that name"),
    "compare_pick_full": ("Aucune autre variante enregistrée", "No other saved variant"),
    "compare_left": ("{names} quitte la comparaison ({n} variantes au plus côte à côte) : elle reste enregistrée, "
                     "choisissez les variantes à comparer ci-dessus",
                     "{names} leaves the comparison ({n} variants at most side by side): it stays saved; pick the "
                     "variants to compare above"),
    "compare_pick_most": ("{n} variantes au plus : retirez-en une (×) pour en choisir une autre",
                          "{n} variants at most: remove one (×) to pick another"),
    "compare_verdict_better": ("fait mieux que {base} sur {n} {ind} sur {total} ({kpi})",
                               "does better than {base} on {n} of {total} {ind} ({kpi})"),
    "compare_verdict_worse": ("fait moins bien que {base} sur {n} {ind} sur {total} ({kpi})",
                              "does worse than {base} on {n} of {total} {ind} ({kpi})"),
    "compare_verdict_better_severity": ("est moins grave que {base} sur {n} {ind} sur {total} ({kpi})",
                                        "is less severe than {base} on {n} of {total} {ind} ({kpi})"),
    "compare_verdict_mixed_severity": ("est moins grave que {base} sur {better} {ind} ({kpi_better}) et plus grave "
                                       "sur {worse} ({kpi_worse}), sur {total} au total",
                                       "is less severe than {base} on {better} {ind} ({kpi_better}) and more severe on "
                                       "{worse} ({kpi_worse}), of {total} in all"),
    "compare_verdict_worse_severity": ("est plus grave que {base} sur {n} {ind} sur {total} ({kpi})",
                                       "is more severe than {base} on {n} of {total} {ind} ({kpi})"),
    "compare_verdict_mixed": ("fait mieux que {base} sur {better} {ind} ({kpi_better}) et moins bien "
                              "sur {worse} ({kpi_worse}), sur {total} au total",
                              "does better than {base} on {better} {ind} ({kpi_better}) and worse on {worse} "
                              "({kpi_worse}), of {total} in all"),
    # what a variant is compared with: today's situation, or for a flood the forecast with no further rain
    "compare_base": ("la situation actuelle", "the baseline"),
    "compare_base_no_rain": ("la prévision sans pluie à venir", "the forecast with no further rain"),
    "compare_indicator": ("indicateur", "indicator"),
    "compare_indicators": ("indicateurs", "indicators"),
    # plain words for a workshop (« pas de différence significative », « mêmes tirages » read as a statistician's)
    "compare_verdict_noise": ("ne se distingue pas de {base} (écart plus petit que l'incertitude)",
                              "cannot be told from {base} (a change smaller than the uncertainty)"),
    "compare_verdict_same": ("ne change rien", "changes nothing"),
    "compare_verdict_unproven": ("n'a pas de baisse démontrée des kilomètres ni du CO2 (trajets plus courts mais plus "
                                 "lents : le CO2 est compté au kilomètre)", "has no proven fall of its kilometres or "
                                 "CO2 (shorter but slower trips: the CO2 is counted per kilometre)"),
    "compare_verdict_stranded": ("change sans verdict : ses baisses peuvent ne venir que de la hausse des {what}, "
                                 "qu'elles ne comptent pas", "changes with no verdict: its falls may come only from "
                                 "the rise of the {what}, which they do not count"),
    "compare_verdict_none": ("change sans verdict (indicateurs sans sens « meilleur »)",
                             "changes with no verdict (indicators with no 'better' direction)"),
    "compare_verdict_and_noise": (", écart plus petit que l'incertitude sur {n}",
                                  ", a change smaller than the uncertainty on {n}"),
    # a count of indicators, not a judgement of amounts: « la meilleure » beside « B économise 3 365 € de plus que
    # A » (the next line, on the headline amount) read as two opposite conclusions
    "compare_verdict_best": (" — meilleur solde (indicateurs en mieux moins en moins bien) : {name}",
                             " — best balance (indicators better minus worse): {name}"),
    # the variants against each other (twin.app.verdicts.between)
    "compare_between_lead": (", entre les variantes", ", between the variants"),
    "compare_between_nothing": ("aucun indicateur ne sépare {names}", "no indicator sets {names} apart"),
    "compare_between_same": ("{a} et {b} font pareil ({va})", "{a} and {b} do the same ({va})"),
    "compare_between_saves": ("{a} économise {diff} de plus que {b} ({va} contre {vb}, {unc})",
                              "{a} saves {diff} more than {b} ({va} vs {vb}, {unc})"),
    "compare_between_costs_less": ("{a} coûte {diff} de moins que {b} ({va} contre {vb}, {unc})",
                                   "{a} costs {diff} less than {b} ({va} vs {vb}, {unc})"),
    "compare_discarded_mark": (" — écartée", " — set aside"),
    "compare_over_window": (" sur {hours}", " over {hours}"),
    "compare_between_forecast_less": ("{a} prévoit {diff} de moins que {b} ({va} contre {vb}, {unc})",
                                      "{a} forecasts {diff} less than {b} ({va} vs {vb}, {unc})"),
    "compare_between_forecast_more": ("{a} prévoit {diff} de plus que {b} ({va} contre {vb}, {unc})",
                                      "{a} forecasts {diff} more than {b} ({va} vs {vb}, {unc})"),
    "compare_between_better": ("{a} fait mieux que {b} de {diff} ({va} contre {vb}, {unc})",
                               "{a} does better than {b} by {diff} ({va} vs {vb}, {unc})"),
    # variants on different baselines (night and day works): compared on their changes from their own
    "compare_between_better_change": ("{a} fait mieux que {b} de {diff} par rapport à sa propre situation sans le "
                                      "projet ({ca} contre {cb} ; situations différentes : {ba} et {bb} ; "
                                      "incertitude non calculée)",
                                      "{a} does better than {b} by {diff} against its own situation without the "
                                      "plan ({ca} vs {cb}; different situations: {ba} and {bb}; uncertainty not "
                                      "computed)"),
    "compare_between_saves_change": ("{a} économise {diff} de plus que {b} par rapport à sa propre situation ({ca} "
                                     "contre {cb} ; situations différentes : {ba} et {bb} ; incertitude non calculée)",
                                     "{a} saves {diff} more than {b} against its own situation ({ca} vs {cb}; "
                                     "different situations: {ba} and {bb}; uncertainty not computed)"),
    "compare_between_costs_less_change": ("{a} coûte {diff} de moins que {b} par rapport à sa propre situation ({ca} "
                                          "contre {cb} ; situations différentes : {ba} et {bb} ; incertitude non "
                                          "calculée)",
                                          "{a} costs {diff} less than {b} against its own situation ({ca} vs {cb}; "
                                          "different situations: {ba} and {bb}; uncertainty not computed)"),
    "compare_between_same_change": ("{a} et {b} changent autant leur propre situation ({ca} ; situations "
                                    "différentes : {ba} et {bb})",
                                    "{a} and {b} change their own situations as much ({ca}; different situations: "
                                    "{ba} and {bb})"),
    "compare_between_aside": (" ; {which} laisse des trajets ou des bâtiments sans itinéraire : pas classée",
                              "; {which} leaves trips or buildings with no route: not ranked"),
    "compare_between_aside_many": (" ; {which} laissent des trajets ou des bâtiments sans itinéraire : pas classées",
                                   "; {which} leave trips or buildings with no route: not ranked"),
    "compare_between_among_stranding": (" ; entre celles qui laissent des trajets ou des bâtiments sans itinéraire",
                                        "; between those that leave trips or buildings with no route"),
    "compare_between_unfair": ("{names} ne se comparent pas sur ces indicateurs : {which} laisse des trajets ou "
                               "des bâtiments sans itinéraire (voir l'avertissement sous le tableau)",
                               "{names} cannot be compared on these indicators: {which} leaves trips or buildings "
                               "with no route (see the warning under the table)"),
    "compare_between_unfair_many": ("{names} ne se comparent pas sur ces indicateurs : {which} laissent des trajets "
                                    "ou des bâtiments sans itinéraire (voir l'avertissement sous le tableau)",
                                    "{names} cannot be compared on these indicators: {which} leave trips or "
                                    "buildings with no route (see the warning under the table)"),
    "compare_between_unproven": ("{names} ne se comparent pas sur ces indicateurs : leur baisse n'est pas démontrée "
                                 "(trajets plus courts mais plus lents : le CO2 est compté au kilomètre)",
                                 "{names} cannot be compared on these indicators: their fall is not proven (shorter "
                                 "but slower trips: the CO2 is counted per kilometre)"),
    "compare_and": (" et ", " and "),
    "compare_between_noise": ("{a} et {b} : écart plus petit que l'incertitude ({va} contre {vb}, {unc})",
                              "{a} and {b}: a difference smaller than the uncertainty ({va} vs {vb}, {unc})"),
    "compare_between_futures": ("{a} et {b} : selon les tirages, l'une ou l'autre prévoit plus ({va} contre {vb}, "
                                "{unc})",
                                "{a} and {b}: depending on the draws, either forecasts more ({va} vs {vb}, {unc})"),
    "compare_between_futures_more": ("{more} prévoit au moins autant que {less} dans 95 % des tirages ({vmore} contre "
                                     "{vless}, {unc})",
                                     "{more} forecasts at least as much as {less} in 95 % of the draws ({vmore} vs "
                                     "{vless}, {unc})"),
    "compare_between_futures_same": ("{a} et {b} prévoient pareil dans au moins 90 % des tirages ({va} contre {vb}, "
                                     "{unc})",
                                     "{a} and {b} forecast the same in at least 90 % of the draws ({va} vs {vb}, {unc})"),
    "compare_between_spread": ("{a} et {b} : écart plus petit que la dispersion des tirages ({va} contre {vb}, "
                               "chacune dans la bande 5–95 % de l'autre ; tirages différents, non appariés)",
                               "{a} and {b}: a gap smaller than the spread of the draws ({va} vs {vb}, each within "
                               "the other's 5–95 % band; different draws, not paired)"),
    "compare_between_band": ("écart de {low} à {high} dans 9 tirages sur 10, aléas communs",
                             "change from {low} to {high} in 9 draws out of 10, common draws"),
    "compare_between_no_band": ("incertitude non calculée", "uncertainty not computed"),
    # the same draws, all of one sign, but too few to tell from chance (twin.paired.MIN_MEMBERS)
    "compare_cut_off_one": ("1\u00a0bâtiment n'est desservi que par les rues fermées à tous : ses habitants n'ont plus "
                            "d'accès en voiture pendant les travaux (leurs trajets sont comptés « sans itinéraire »)",
                            "1\u00a0building is reached only through the streets closed to all: its residents lose "
                            "car access during the works (their trips are counted « without route »)"),
    "compare_cut_off": ("{n}\u00a0bâtiments ne sont desservis que par les rues fermées à tous : leurs habitants "
                        "n'ont plus d'accès en voiture pendant les travaux (leurs trajets sont comptés « sans "
                        "itinéraire »)", "{n}\u00a0buildings are reached only through the streets closed to all: their "
                        "residents lose car access during the works (their trips are counted « without route »)"),
    "compare_between_few_draws": ("incertitude non calculée : {n} tirages, il en faut au moins {least}",
                                  "uncertainty not computed: {n} draws, at least {least} needed"),
    # a change of a KPI that is itself a percentage: in percentage points
    # the table
    "compare_window": ("plage horaire {hours}", "window {hours}"),
    "compare_horizon": ("sur {hours}", "over {hours}"),
    "compare_between_horizons": ("Entre elles : pas de comparaison, leurs horizons diffèrent ({horizons}) ; une "
                                 "probabilité sur {long} couvre plus d'heures que sur {short}, elle n'est pas plus sûre. "
                                 "Chacune se lit contre sa propre prévision sans pluie à venir.",
                                 "With each other: not compared, their horizons differ ({horizons}); a probability "
                                 "over {long} covers more hours than over {short}, it is not surer. Each reads against its "
                                 "own forecast with no further rain."),
    "compare_value": ("valeur (écart)", "value (change)"),
    "compare_uncertainty": ("incertitude", "uncertainty"),
    "compare_band": ("de {low} à {high} dans 9 tirages sur 10", "from {low} to {high} in 9 draws out of 10"),
    # said once under the table: 19 cells of a roadworks comparison each repeated the whole sentence
    "compare_no_band": ("non calculée", "not computed"),
    "compare_no_band_note": ("Incertitude « non calculée » : le calcul ne chiffre pas celle de ces valeurs ; lisez-les "
                             "comme des ordres de grandeur.", "Uncertainty “not computed”: the calculation does not "
                             "put a figure on it for these values; read them as orders of magnitude."),
    "compare_no_band_all": ("Incertitude : non calculée pour ces variantes (un calcul chacune, sans tirages) ; lisez "
                            "les valeurs comme des ordres de grandeur.", "Uncertainty: not computed for these variants "
                            "(one run each, no draws); read the values as orders of magnitude."),
    "compare_change_band": ("écart de {low} à {high} dans 9 tirages sur 10",
                            "change from {low} to {high} in 9 draws out of 10"),
    "compare_noise": ("écart plus petit que l'incertitude", "a change smaller than the uncertainty"),
    "compare_not_estimated": ("incertitude non calculée pour cet indicateur", "uncertainty not computed for this indicator"),
    "compare_best": ("meilleure valeur", "best value"),
    "compare_pair_futures": ("{a} et {b} : selon les tirages, l'une ou l'autre prévoit plus (écart de {low} à "
                             "{high} dans 9 tirages sur 10, aléas communs)",
                             "{a} and {b}: depending on the draws, either forecasts more (change from {low} to "
                             "{high} in 9 draws out of 10, common draws)"),
    "compare_pair_futures_more": ("{a} prévoit au moins autant que {b} dans 95 % des tirages (écart de {low} à "
                                  "{high} dans 9 tirages sur 10, aléas communs)",
                                  "{a} forecasts at least as much as {b} in 95 % of the draws (change from {low} to "
                                  "{high} in 9 draws out of 10, common draws)"),
    "compare_pair_futures_same": ("{a} et {b} prévoient pareil dans au moins 90 % des tirages (écart de {low} à "
                                  "{high} dans 9 tirages sur 10, aléas communs)",
                                  "{a} and {b} forecast the same in at least 90 % of the draws (change from {low} to "
                                  "{high} in 9 draws out of 10, common draws)"),
    "compare_pair_noise": ("{a} et {b} : écart plus petit que l'incertitude (écart de {low} à {high} dans 9 tirages "
                           "sur 10, aléas communs)",
                           "{a} and {b}: a difference smaller than the uncertainty (change from {low} to {high} in 9 "
                           "draws out of 10, common draws)"),
    "compare_pair_exact": ("{b} − {a} : {low} dans chaque tirage", "{b} − {a}: {low} in every draw"),
    "compare_pair_same_every": ("{a} et {b} : la même valeur dans chaque tirage",
                                "{a} and {b}: the same value in every draw"),
    "compare_pair_sig": ("{b} − {a} : écart de {low} à {high} dans 9 tirages sur 10 (aléas communs)",
                         "{b} − {a}: change from {low} to {high} in 9 draws out of 10 (common draws)"),
    "compare_legend": ("En gras sur fond vert : la meilleure valeur de la ligne. Écarts : par rapport à {base}, "
                       "en valeur et en % ; en points (pts) pour un indicateur qui est déjà un pourcentage. "
                       "Incertitude : la bande 5–95 % de l'ensemble quand l'indicateur en a une.",
                       "Bold on green: the best value of the row. Changes: against {base}, in value and %; in "
                       "points (pts) for an indicator that is already a percentage. "
                       "Uncertainty: the ensemble's 5–95 % band when the indicator has one."),
    # variants on their own baselines: the highlight is the best change (twin.app.verdicts.own_baselines)
    "compare_legend_own": ("En gras sur fond vert : le meilleur écart de la ligne, chaque variante par rapport à sa "
                           "propre situation de référence (quand elles en ont deux différentes ; sinon la meilleure "
                           "valeur). Écarts : en valeur et en % ; en points (pts) pour un indicateur qui est déjà un "
                           "pourcentage. Incertitude : la bande 5–95 % de l'ensemble quand l'indicateur en a une.",
                           "Bold on green: the best change of the row, each variant against its own baseline (when "
                           "they have different ones; else the best value). Changes: in value and %; in points (pts) "
                           "for an indicator that is already a percentage. Uncertainty: the ensemble's 5–95 % band "
                           "when the indicator has one."),
    # forecasts are possible futures, not choices: no « best value » marked
    "compare_legend_forecast": ("Des prévisions, pas des choix : aucune valeur n'est marquée comme la meilleure. "
                                "Écarts : par rapport à {base}, en valeur ; en points (pts) pour un indicateur qui "
                                "est déjà un pourcentage. Incertitude : la bande 5–95 % de l'ensemble quand "
                                "l'indicateur en a une.",
                                "Forecasts, not choices: no value is marked best. Changes: against {base}, in "
                                "value; in points (pts) for an indicator that is already a percentage. "
                                "Uncertainty: the ensemble's 5–95 % band when the indicator has one."),
    # readable assumptions
    "compare_params": ("Paramètres de la variante", "The variant's parameters"),
    "compare_params_common": ("Paramètres communs à ces variantes", "Parameters these variants share"),
    "compare_params_own": ("ce qui la distingue", "what sets it apart"),
    "compare_params_same": ("(aucun : les mêmes paramètres que les autres)", "(none: the same parameters as the others)"),
    "compare_factors": ("Facteurs et prix par défaut de la famille (la table des facteurs du projet ; une variante "
                        "peut en changer la valeur)",
                        "The family's default factors and prices (factors table, twin/data/factors.csv)"),
    "compare_factor_line": ("{label} = {value} {unit} ({year} ; source : {source})",
                            "{label} — {name} = {value} {unit} ({year}; source: {source})"),
    "compare_run_details": ("Détails techniques du calcul", "Technical details of the run"),
    "compare_run_details_english": ("Détails techniques du calcul (les phrases du modèle restent en anglais)",
                                    "Technical details of the run (as the model notes them)"),
    "compare_no_params": ("(aucun paramètre enregistré)", "(no parameter saved)"),
    # the difference map
    "compare_diff_title": ("Carte des différences", "Difference map"),
    "compare_diff_variant": ("Variante", "Variant"),
    "compare_diff_reference": ("Comparée à", "Compared with"),
    "compare_diff_own_baseline": ("sa situation actuelle", "its baseline"),
    "compare_diff_baseline_of": ("Situation actuelle ({name})", "Baseline ({name})"),
    "compare_diff_own_no_rain": ("sa prévision sans pluie à venir", "its forecast with no further rain"),
    "compare_diff_no_rain_of": ("Sans pluie à venir ({name})", "No further rain ({name})"),
    "compare_diff_difference": ("Différence ({b} − {a})", "Difference ({b} − {a})"),
    "compare_diff_no_outcome": ("La variante « {name} » a été enregistrée sans son résultat complet (version "
                                "précédente) : pas de carte de différence. Rouvrez-la dans Scénario et "
                                "enregistrez-la de nouveau pour l'avoir.",
                                "The variant “{name}” was saved without its full outcome (an earlier version): no "
                                "difference map. Reopen it in Scenario and save it again to get one."),
    "compare_diff_other_family": ("« {a} » et « {b} » ne sont pas de la même famille de scénario : pas de carte "
                                  "de différence entre elles.",
                                  "“{a}” and “{b}” are not of the same scenario family: no difference map between them."),
    "compare_diff_other_territory": ("« {a} » et « {b} » ne portent pas sur le même territoire : pas de carte de "
                                     "différence.", "“{a}” and “{b}” are not on the same territory: no difference map."),
    "compare_diff_no_layer": ("Le résultat de « {name} » n'a pas de couche par rue, bâtiment, lampadaire ou "
                              "corbeille à cartographier.",
                              "The outcome of “{name}” has no layer per street, building, lamp or bin to map."),
    "compare_diff_none": ("Enregistrez une variante pour voir sa carte des différences.",
                          "Save a variant to see its difference map."),
    "compare_diff_caption": ("{quantity} ({unit}) — à gauche : {a} ; au centre : {b} ; à droite : la différence "
                             "(rouge : plus, bleu : moins, blanc : pareil ; pointillés gris : cours d'eau).",
                             "{quantity} ({unit}) — left: {a}; centre: {b}; right: the difference (red: more, "
                             "blue: less, white: the same; grey dots: rivers)."),
    "compare_diff_other_hours": ("Attention : chaque variante est cartographiée à sa propre heure de pointe ({a} : {ha}, "
                                 "{b} : {hb}) ; la différence mêle l'effet des travaux et celui de l'heure.",
                                 "Beware: each variant is mapped at its own peak hour ({a}: {ha}, {b}: {hb}); the "
                                 "difference mixes the works' effect with the hour's."),
    "compare_diff_other_hours_flood": ("Attention : chaque variante est cartographiée à sa propre heure de pointe "
                                       "({a} : {ha}, {b} : {hb}) ; la différence mêle l'effet des fermetures et "
                                       "celui de l'heure.",
                                       "Beware: each variant is mapped at its own peak hour ({a}: {ha}, {b}: {hb}); "
                                       "the difference mixes the closures' effect with the hour's."),
    "compare_diff_scale": ("{quantity} ({unit})", "{quantity} ({unit})"),
    "compare_diff_scale_diff": ("Différence ({unit})", "Difference ({unit})"),
    "compare_diff_not_here": ("« {name} » porte sur le territoire {territory}, pas celui de cette page : pas de "
                              "carte de différence.", "“{name}” is about the territory {territory}, not this "
                              "page's: no difference map."),
    "compare_diff_changed": ("{n} élément(s) sur {total} changent.", "{n} of {total} item(s) change."),
    # « 293 éléments sur 331 changent » where 8 streets showed a colour: most changes were a vehicle an hour
    "compare_diff_changed_most": ("{n} élément(s) sur {total} changent, dont {big} de plus d'un dixième du plus "
                                  "grand écart (les autres, à peine : teinte pâle).",
                                  "{n} of {total} item(s) change, {big} of them by more than a tenth of the largest "
                                  "change (the others barely: a pale shade)."),
    "compare_diff_unchanged": ("Aucune différence entre les deux cartes.", "No difference between the two maps."),
    # the quantities a difference map draws
    "compare_q_peak_flow": ("Débit à l'heure de pointe par rue", "Peak-hour flow per street"),
    "compare_q_closed": ("Rues fermées (1 : fermée)", "Closed streets (1: closed)"),
    "compare_q_night_pressure": ("Pression la nuit sous chaque rue", "Night pressure under each street"),
    "compare_q_hours_without_water": ("Heures sans eau sous chaque rue", "Hours without water under each street"),
    "compare_q_lamp_kwh": ("Consommation par lampadaire", "Energy per lamp"),
    "compare_q_bin_overflow": ("Heures pleines par semaine, par corbeille", "Hours full per week, per bin"),
    "compare_q_cruising": ("Kilomètres des conducteurs qui cherchent une place, par rue",
                           "Kilometres driven by drivers searching for a space, per street"),
    "compare_q_gas": ("Consommation de gaz par bâtiment", "Gas use per building"),
    "compare_q_alert": ("Bâtiments à alerter (1 : à alerter)", "Buildings to alert (1: to alert)"),
    "compare_q_flood_streets": ("Rues à fermer pour la crue (1 : à fermer)", "Streets to close for the flood (1: close)"),
    "compare_u_flag": ("0/1", "0/1"),
    # the factors of twin/data/factors.csv, named in French
    # the factors' sources in French (twin/data/factors.csv writes them in English, for every language)
    "compare_source_diesel_co2_kg_per_l": (
        "hypothèse du projet (ordre de grandeur de la Base Carbone de l'ADEME, gazole routier, amont compris ; "
        "version non figée)", ""),
    "compare_source_car_co2_kg_per_vkm": (
        "hypothèse du projet (ordre de grandeur de la Base Empreinte de l'ADEME, voiture particulière moyenne "
        "française, 2023 ; non vérifié sur une version datée)", ""),
    "compare_source_drive_time_value_eur_per_veh_h": (
        "hypothèse du projet (ordre de grandeur des valeurs tutélaires du temps des déplacements urbains du rapport "
        "Quinet, Commissariat général à la stratégie et à la prospective, 2013 : environ 7 €2010 par personne et par "
        "heure pour les déplacements personnels, 10 pour le domicile-travail, 17,5 pour les déplacements "
        "professionnels, tels que d'autres les rapportent ; non vérifié sur le rapport lui-même ; un occupant par "
        "voiture ; en euros 2010, non actualisés)", ""),
    "compare_source_gas_co2_kg_per_kwh": (
        "hypothèse du projet (ordre de grandeur de la Base Empreinte de l'ADEME, gaz naturel ; version et "
        "périmètre non figés)", ""),
    "compare_source_lighting_electricity_co2_kg_per_kwh": (
        "hypothèse du projet (le facteur proposé pour l'éclairage par le projet)", ""),
    "compare_source_gas_price_eur_per_kwh": (
        "hypothèse du projet (ordre de grandeur 2024–2025 des offres de gaz aux communes ; HT)", ""),
    "compare_source_electricity_price_eur_per_kwh": (
        "hypothèse du projet (ordre de grandeur 2024–2025 des offres aux communes françaises après la crise de "
        "2022–2023 : énergie, réseau et taxes ; HT)", ""),
    "compare_source_electricity_subscription_eur_per_kva_year": (
        "hypothèse du projet (ordre de grandeur 2024–2025)", ""),
    "compare_source_astronomical_clock_eur": ("hypothèse du projet (posée)", ""),
    "compare_source_connected_clock_eur": ("hypothèse du projet (posée)", ""),
    "compare_source_led_head_eur": ("hypothèse du projet (posée)", ""),
    "compare_source_led_power_ratio": ("hypothèse du projet (sodium 70 W → LED 21 W)", ""),
    "compare_source_agent_eur_per_h": ("hypothèse du projet (coût chargé d'un agent de collecte)", ""),
    "compare_source_compacting_bin_eur": (
        "hypothèse du projet (milieu des 5 400 à 6 500 € des corbeilles compactantes solaires achetées par Istres)",
        ""),
    "compare_source_people_per_household": (
        "INSEE, recensement : nombre moyen de personnes par ménage en France (environ 2,2 en 2019)", ""),
    "compare_source_fire_response_threshold_min": (
        "hypothèse du projet (ordre de grandeur des délais que les SDACR fixent au premier engin pour atteindre "
        "un bâtiment ; pas de norme nationale : chaque SDACR fixe les siens par zone)", ""),
    "compare_source_hospital_access_threshold_min": (
        "ministère de la Santé, Pacte territoire-santé (décembre 2012) : accès aux soins urgents (SMUR compris) en "
        "moins de 30 minutes pour tous ; appliqué ici par analogie au trajet jusqu'à l'hôpital", ""),
    "compare_source_led_head_life_years": (
        "hypothèse du projet (têtes LED d'éclairage public couramment données pour 50 000 à 100 000 h, soit 12 à "
        "25 ans à environ 4 000 h par an)", ""),
    "compare_source_retrofit_life_years": ("hypothèse du projet (horizon courant des travaux d'enveloppe)", ""),
    "compare_source_fill_sensor_life_years": ("hypothèse du projet (la même que pour la valeur des capteurs de "
                                              "remplissage)", ""),
    "compare_source_project": ("hypothèse du projet", ""),  # a source that says only that
    "compare_factor_diesel_co2_kg_per_l": ("CO2 du gazole", "Diesel CO2"),
    "compare_factor_car_co2_kg_per_vkm": ("CO2 d'une voiture par km", "Car CO2 per km"),
    "compare_factor_drive_time_value_eur_per_veh_h": ("Valeur d'une heure au volant", "Value of an hour at the wheel"),
    "compare_factor_gas_co2_kg_per_kwh": ("CO2 du gaz naturel", "Natural gas CO2"),
    "compare_factor_lighting_electricity_co2_kg_per_kwh": ("CO2 de l'électricité de l'éclairage",
                                                           "Street-lighting electricity CO2"),
    "compare_factor_gas_price_eur_per_kwh": ("Prix du gaz", "Gas price"),
    "compare_factor_electricity_price_eur_per_kwh": ("Prix de l'électricité", "Electricity price"),
    "compare_factor_electricity_subscription_eur_per_kva_year": ("Abonnement électrique par kVA",
                                                                 "Electricity subscription per kVA"),
    "compare_factor_lighting_power_factor": ("Facteur de puissance de l'éclairage", "Lighting power factor"),
    "compare_factor_astronomical_clock_eur": ("Horloge astronomique", "Astronomical clock"),
    "compare_factor_connected_clock_eur": ("Horloge connectée", "Connected clock"),
    "compare_factor_led_head_eur": ("Tête LED par lampadaire", "LED head per lamp"),
    "compare_factor_led_power_ratio": ("Puissance LED / puissance actuelle", "LED power / current power"),
    "compare_factor_retrofit_eur_per_m2": ("Rénovation par m²", "Retrofit per m²"),
    "compare_factor_retrofit_ua_cut": ("Baisse des déperditions par la rénovation", "Heat-loss cut of a retrofit"),
    "compare_factor_bms_eur": ("Gestion technique du bâtiment (GTB)", "Building management system"),
    "compare_factor_agent_eur_per_h": ("Coût horaire d'un agent", "Hourly cost of an agent"),
    "compare_factor_crew_per_truck": ("Agents par camion", "Crew per truck"),
    "compare_factor_truck_fuel_l_per_100km": ("Consommation du camion", "Truck fuel use"),
    "compare_factor_diesel_eur_per_l": ("Prix du gazole", "Diesel price"),
    "compare_factor_compacting_bin_eur": ("Corbeille compactante", "Compacting bin"),
    "compare_factor_fill_sensor_eur": ("Capteur de remplissage", "Fill sensor"),
    "compare_factor_fill_sensor_eur_per_year": ("Abonnement du capteur de remplissage", "Fill sensor subscription"),
    "compare_factor_litter_bin_eur": ("Corbeille simple", "Litter bin"),
    # the years what a variant buys is assumed to serve: a payback beyond them is not one
    "compare_factor_led_head_life_years": ("Durée de vie supposée d'une tête LED", "Assumed life of an LED head"),
    "compare_factor_clock_life_years": ("Durée de vie supposée d'une horloge d'armoire", "Assumed life of a cabinet clock"),
    "compare_factor_retrofit_life_years": ("Durée de vie supposée d'une rénovation de l'enveloppe",
                                           "Assumed life of an envelope retrofit"),
    "compare_factor_bms_life_years": ("Durée de vie supposée d'une GTB", "Assumed life of a building management system"),
    "compare_factor_compacting_bin_life_years": ("Durée de vie supposée d'une corbeille compactante",
                                                 "Assumed life of a compacting bin"),
    "compare_factor_litter_bin_life_years": ("Durée de vie supposée d'une corbeille simple",
                                             "Assumed life of a litter bin"),
    "compare_factor_fill_sensor_life_years": ("Durée de vie supposée d'un capteur de remplissage",
                                              "Assumed life of a fill sensor"),
    "compare_factor_people_per_household": ("Personnes par logement", "People per household"),
    "compare_factor_fire_response_threshold_min": ("Seuil d'intervention des pompiers",
                                                   "Fire response threshold"),
    "compare_factor_hospital_access_threshold_min": ("Seuil d'accès à l'hôpital", "Hospital access threshold"),
}
