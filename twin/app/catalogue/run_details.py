"""Names of the notes a model leaves on its outcome (``outcome.data.attrs``), as the comparison report's
« Détails techniques du calcul » lists them: {key: (French, English)}.

``detail_<attr>``: one per note the families write (:mod:`twin.app.run_details`); ``detail_value_*``:
the notes whose value is a word from a short list (``detail_value_<attr>_<value>``: that note's own).
A note the catalogue does not name is listed under its own key (tests/test_app_i18n_results.py fails
on one of the families' small runs).
"""

STRINGS: dict[str, tuple[str, str]] = {
    "detail_territory": ("Territoire", "Territory"),
    "detail_lamp_inventory": ("Inventaire des lampadaires", "Street-lamp inventory"),
    # street closure, roadworks, flood detours
    "detail_destination": ("Destination", "Destination"),
    "detail_streets": ("Rues des travaux", "Streets under works"),
    "detail_closed_edges": ("Tronçons fermés", "Closed segments"),
    "detail_stranded_buildings": ("Bâtiments sans itinéraire", "Buildings without a route"),
    "detail_hours": ("Heures des travaux", "Hours of the works"),
    "detail_window_hours": ("Durée de la fenêtre (h)", "Window length (h)"),
    "detail_capacity_factor": ("Capacité laissée (part)", "Capacity left (share)"),
    "detail_one_direction": ("Un seul sens (celui du dessin OSM)", "One direction only (as OSM draws it)"),
    "detail_residents_access": ("Accès riverains", "Residents' access"),
    "detail_value_residents_access_kept": ("maintenu (route barrée sauf riverains)",
                                           "kept (road closed except for residents)"),
    "detail_value_residents_access_none": ("aucun (rue fermée à tous)", "none (street closed to all)"),
    "detail_value_residents_access_not needed (the street stays open)": ("sans objet (la rue reste ouverte)",
                                                                         "not needed (the street stays open)"),
    "detail_buildings_behind_works": ("Bâtiments desservis par les seules rues en travaux (accès riverains)",
                                      "Buildings reached only through the streets under works (residents' access)"),
    "detail_affected_edges": ("Tronçons touchés (un par sens)", "Segments affected (one per direction)"),
    "detail_works_street_m": ("Longueur de rue sous travaux (m)", "Length of street under works (m)"),
    "detail_works_segments": ("Tronçons de rue sous travaux", "Street segments under works"),
    "detail_detour": ("Déviation fléchée", "Signed detour"),
    "detail_detour_gain_veh_h": ("Trafic en plus sur la déviation (véh./h, sur le tronçon qui en gagne le plus, à "
                                 "l'heure la plus chargée des travaux)", "Added traffic on the detour (veh/h, on the "
                                 "segment that gains most, at the works' busiest hour)"),
    "detail_top_gainers": ("Rues qui gagnent le plus de trafic", "Streets gaining the most traffic"),
    "detail_peak_hour": ("Heure de pointe retenue", "Peak hour used"),
    "detail_works_peak_hour": ("Heure la plus chargée des travaux", "The works' busiest hour"),
    "detail_day_peak_hour": ("Heure de pointe du jour", "The day's peak hour"),
    "detail_baseline_meaning": ("Référence", "Baseline"),
    "detail_value_baseline_meaning_no further rain": ("sans pluie à venir", "no further rain"),
    "detail_baseline_draws": ("Tirages de la référence", "Draws of the baseline"),
    "detail_value_baseline_draws_none": ("aucun (sans pluie, rien n'est tiré)", "none (no rain, nothing drawn)"),
    "detail_members_are": ("Membres de l'ensemble", "Ensemble members"),
    "detail_value_members_are_futures": (
        "des avenirs possibles (pluie et erreur du modèle) ; la référence sans pluie porte la même erreur du modèle",
        "possible futures (rain and model error); the no-rain baseline carries the same model error"),
    "detail_stranded_trips": ("Trajets sans itinéraire", "Trips without a route"),
    "detail_day_method": ("Méthode sur la journée", "Method over the day"),
    "detail_value_day_method_every hour of the window assigned": ("chaque heure des travaux affectée",
                                                                  "every hour of the window assigned"),
    "detail_value_day_method_peak hour and mean off-peak level, each assigned once per variant": (
        "heure de pointe, et niveau moyen hors pointe pour les autres heures (une affectation chacun)",
        "peak hour and mean off-peak level, each assigned once per variant"),
    "detail_in_sample": ("dans l'échantillon : modèles des compteurs ajustés sur {period}, apports calés sur {year} "
                         "même (un contrôle de la chaîne, pas une prévision)",
                         "in sample: meter models fitted on {period}, gains calibrated on {year} itself (a check of the "
                         "chain, not a prediction)"),
    "detail_meter_last_days": ("les {n} derniers jours de chaque compteur ({dates})",
                               "each meter's last {n} days ({dates})"),
    "detail_out_of_sample": ("hors échantillon : modèles des compteurs et apports calés sur {year}",
                             "out of sample: meter models and gains calibrated on {year}"),
    "detail_over_meter": ("{low}–{high} sur {n} des {total} bâtiments (programmation actuelle simulée / gaz compté en "
                          "{year} ; {sample})", "{low}–{high} over {n} of {total} buildings (simulated current "
                          "schedule / metered gas of {year}; {sample})"),
    "detail_over_meter_none": ("aucun bâtiment n'a une année {year} complète au compteur ({sample})",
                               "no building has a complete metered year {year} ({sample})"),
    "detail_at_bound_none": ("aucun : les apports de chaque bâtiment rejoignent le chauffage de son compteur",
                             "none: every building's gains meet its meter's heating"),
    "detail_at_bound": ("{n} bâtiment(s) dont les apports butent sur leur borne de recherche sans rejoindre le "
                        "chauffage du compteur : {which}", "{n} building(s) whose gains stop at their search bound "
                        "and miss the meter's heating: {which}"),
    "detail_events_none": ("aucun événement supposé", "none assumed"),
    "detail_event_market": ("marché", "market"),
    "detail_event": ("{event} ({day}, {start}–{end} h) : {verdict}, {why}", "{event} ({day} {start}–{end} h): {verdict}, {why}"),
    "detail_event_kept": ("gardé", "kept"),
    "detail_event_moved": ("déplacé", "moved"),
    "detail_event_dropped": ("écarté", "dropped"),
    "detail_event_supported": ("confirmé le jour supposé (t {t})", "supported on its own day (t {t})"),
    "detail_event_points_to": ("les relevés désignent le {found} (t {t}), pas le {own} (t {t_own})",
                               "the data point to {found} (t {t}), not {own} (t {t_own})"),
    "detail_event_none": ("aucun jour de la semaine ne montre l'effet (t le plus grand {t} < {min})",
                          "no weekday shows the effect (largest t {t} < {min})"),
    "detail_event_too_few": ("trop peu d'intervalles de relève pour le vérifier", "too few intervals of bins to test it"),
    "detail_event_twins": (" ; les jours de collecte ne le distinguent pas {days}",
                           "; the collection days cannot tell it from {days}"),
    "detail_market_text": ("le {day}, {start}–{end} h, corbeilles à moins de {radius} m de la place du marché",
                           "{day}, {start}–{end} h, bins within {radius} m of the market place"),
    "detail_value_market_none (the territory has no market in its defaults)": (
        "aucun (le territoire n'en déclare pas)", "none (the territory has no market in its defaults)"),
    "detail_value_market_none (a market in the defaults, but no market place on the territory's map)": (
        "aucun effet (un marché déclaré, mais pas de place du marché sur la carte du territoire)",
        "none (a market in the defaults, but no market place on the territory's map)"),
    "cost_crew_per_truck": ("agents par camion", "agents per truck"),
    "cost_fuel_l_per_100km": ("consommation d'un camion", "a truck's consumption"),
    "cost_co2_kg_per_l": ("CO2 du gazole", "diesel CO2"),
    "cost_sensor_eur_per_year": ("abonnement d'un capteur", "a sensor's subscription"),
    "detail_beyond_rating_curve": ("Au-delà de la courbe de tarage", "Beyond the rating curve"),
    "detail_rating_curve_max_stage_m": ("Plus haute hauteur ayant servi au calage de la courbe de tarage (m)",
                                        "Highest stage the rating curve was fitted on (m)"),
    "detail_k_of_n": ("{k} sur {n}", "{k} of {n}"),
    "detail_paid_over": ("« {variant} » : par rapport à « {ref} »", "“{variant}”: against “{ref}”"),
    "detail_synthetic_gauges": ("Stations SYNTHÉTIQUES (générées par le modèle)", "SYNTHETIC gauges (generated by the model)"),
    "detail_synthetic_meters": ("Compteurs SYNTHÉTIQUES (générés) parmi les compteurs calés",
                                "SYNTHETIC (generated) meters among those calibrated"),
    "detail_payback_over_variant": ("Retour sur investissement mesuré contre une autre variante",
                                    "Payback measured against another variant"),
    "detail_payback_over": ("Retour sur investissement mesuré contre", "Payback measured against"),
    "detail_value_payback_over_the baseline": ("la référence", "the baseline"),
    "detail_value_payback_over_the same policy without the compacting and added bins": (
        "la même collecte sans les corbeilles compactantes ni ajoutées (ce qu'elles ajoutent, pas l'économie de "
        "la nouvelle collecte)",
        "the same collection without the compacting and added bins (what they add, not the new collection's "
        "saving)"),
    "detail_booking_count": ("Réservations du calendrier dans l'année simulée",
                             "Calendar bookings in the simulated year"),
    "detail_booking_first": ("Première réservation de l'année", "First booking of the year"),
    "detail_booking_last": ("Fin de la dernière réservation de l'année", "End of the year's last booking"),
    "detail_booking_share_of_year": ("Part de l'année simulée entre la première et la dernière réservation",
                                     "Share of the simulated year between the first and the last booking"),
    "detail_sensors_already_fitted": ("Corbeilles déjà équipées d'un capteur (aucun acheté pour elles)",
                                      "Bins already fitted with a sensor (none bought for them)"),
    "detail_buildings_cut_off": ("Bâtiments coupés du réseau pendant les travaux", "Buildings cut off during the works"),
    "detail_priors_lamps": ("{n} lampadaires sur {total} GÉNÉRÉS le long des rues (pas d'inventaire) : leur nombre, "
                            "leur puissance et leur technologie sont des hypothèses a priori",
                            "{n} of {total} street lamps GENERATED along the streets (no inventory): their number, "
                            "power and technology are a priori assumptions"),
    "detail_unnamed_way": ("voie OSM {way} (sans nom)", "OSM way {way} (unnamed)"),
    "detail_stranded_text": (
        "{peak} véhicules/h à l'heure de pointe et {window} trajets sur les heures des travaux n'ont plus d'itinéraire : "
        "comptés à part, hors du temps au volant, des km, du CO2 et des temps d'accès",
        "{peak} veh/h at the peak hour and {window} trips over the works' hours have no route left: counted "
        "apart, outside the driving time, km, CO2 and access times"),
    "detail_stranded_text_flood": (
        "{peak} véhicules/h à l'heure de pointe et {window} trajets sur les heures retenues n'ont plus d'itinéraire "
        "avec les rues fermées par la crue : comptés à part, hors du temps au volant, des km, du CO2 et des temps "
        "d'accès",
        "{peak} veh/h at the peak hour and {window} trips over the hours studied have no route left with the "
        "flood's closures: counted apart, outside the driving time, km, CO2 and access times"),
    "detail_peak_missed_flood": (
        "{hour} (les rues fermées par la crue ne couvrent pas la pointe du jour, {day} : les indicateurs de pointe "
        "et la carte sont à leur heure la plus chargée)",
        "{hour} (the flood's closures miss the day's peak, {day}: the peak indicators and the map are at their "
        "own busiest hour)"),
    "detail_peak_missed": (
        "{hour} (les travaux ne couvrent pas la pointe du jour, {day} : les indicateurs de pointe et la carte sont "
        "à leur heure la plus chargée)",
        "{hour} (the works miss the day's peak, {day}: the peak indicators and the map are at their own busiest "
        "hour)"),
    "detail_value_priors_demand: the gravity model uncalibrated (internal_scale = through_scale = 1; twin traffic "
    "calibrate fits them on counts)": (
        "demande : modèle gravitaire non calé (facteurs interne et de transit à 1 ; twin traffic calibrate les cale "
        "sur les comptages)",
        "demand: the gravity model uncalibrated (internal and through factors at 1; twin traffic calibrate fits them "
        "on the counts)"),
    "detail_flood_variant": ("Crue utilisée", "Flood used"),
    "detail_fire_threshold_min": ("Délai visé des pompiers (min)", "Fire service target (min)"),
    "detail_hospital_threshold_min": ("Délai visé jusqu'à l'hôpital (min)", "Hospital target (min)"),
    "detail_emergency_times": ("Temps d'intervention", "Emergency times"),
    "detail_emergency_fire": ("Pompiers", "Fire service"),
    "detail_emergency_hospital": ("Hôpital", "Hospital"),
    # lighting
    "detail_year": ("Année simulée", "Year simulated"),
    "detail_lamps": ("Lampadaires", "Street lamps"),
    "detail_dimming_lamps": ("Lampadaires visés par un abaissement", "Lamps a dimming applies to"),
    "detail_undimmable_lamps": ("Dont non gradables (restent à pleine puissance)",
                                "Of which cannot dim (stay at full power)"),
    "detail_lamps_source": ("Origine des lampadaires", "Where the lamps come from"),
    # flood
    "detail_forecast_time": ("Émise le", "Issued at"),
    "detail_horizon_h": ("Horizon (h)", "Horizon (h)"),
    "detail_forecast_kind": ("Type de prévision", "Kind of forecast"),
    "detail_past_floods_asked": ("Fiabilité : crues passées demandées", "Record: past floods asked"),
    "detail_past_floods_found": ("Fiabilité : crues passées rejouées", "Record: past floods replayed"),
    "detail_past_floods_why": ("Fiabilité : pourquoi aucune", "Record: why none"),
    "detail_past_members": ("Fiabilité : tirages de pluie par prévision rejouée",
                            "Record: rain draws per replayed forecast"),
    "detail_past_history_days": ("Fiabilité : jours d'historique avant la première prévision rejouée",
                                 "Record: days of history before the first replayed forecast"),
    "detail_past_calibrated_before": ("Fiabilité : modèle calé avant le (UTC)",
                                      "Record: model calibrated before (UTC)"),
    "detail_past_calibrated_until": ("Fiabilité : calage jusqu'au (UTC)", "Record: calibration up to (UTC)"),
    "detail_past_params_given": ("Fiabilité : paramètres GR4H donnés (non calés)",
                                 "Record: GR4H parameters given (not calibrated)"),
    "detail_past_leads_h": ("Fiabilité : prévisions émises avant chaque pic (h)",
                            "Record: forecasts issued before each peak (h)"),
    "detail_rain": ("Pluie", "Rain"),
    "detail_rain_scale": ("Multiplicateur de la pluie observée", "Observed rain multiplier"),
    "detail_rain_gauge": ("Pluviomètre", "Rain gauge"),
    "detail_flow_gauge": ("Station de débit", "Flow gauge"),
    "detail_level_gauge": ("Station de hauteur", "Level gauge"),
    "detail_temperature": ("Station de température", "Temperature station"),
    "detail_params": ("Paramètres GR4H", "GR4H parameters"),
    "detail_rating_curve": ("Courbe de tarage", "Rating curve"),
    "detail_floodplain": ("Lit majeur", "Floodplain"),
    "detail_gr4h_x1": ("GR4H x1 (mm)", "GR4H x1 (mm)"),
    "detail_gr4h_x2": ("GR4H x2 (mm)", "GR4H x2 (mm)"),
    "detail_gr4h_x3": ("GR4H x3 (mm)", "GR4H x3 (mm)"),
    "detail_gr4h_x4": ("GR4H x4 (h)", "GR4H x4 (h)"),
    "detail_rating_curve_a": ("Tarage a", "Rating a"),
    "detail_rating_curve_h0": ("Tarage h0 (m)", "Rating h0 (m)"),
    "detail_rating_curve_b": ("Tarage b", "Rating b"),
    "detail_update": ("Mise à jour sur l'observation", "Update on the observation"),
    "detail_update_why": ("Raison", "Why"),
    "detail_observed_discharge_m3s": ("Débit observé à l'émission (m³/s)", "Discharge observed at issue (m³/s)"),
    "detail_observed_stage_m": ("Hauteur observée à l'émission (m)", "Stage observed at issue (m)"),
    "detail_observed_stage_time": ("Relevée à (UTC)", "Read at (UTC)"),
    "detail_simulated_discharge_m3s": ("Débit simulé à l'émission (m³/s)", "Discharge simulated at issue (m³/s)"),
    "detail_update_fitted_with": ("Mise à jour ajustée sur", "Update fitted on"),
    "detail_params_from": ("Origine des paramètres", "Where the parameters come from"),
    "detail_calibration_start": ("Calage du", "Calibrated from"),
    "detail_calibration_end": ("Calage au", "Calibrated to"),
    "detail_calibration_criterion": ("Critère de calage", "Calibration criterion"),
    "detail_calibration_nse": ("NSE du calage", "Calibration NSE"),
    "detail_member_seeds": ("Graines des membres", "Member seeds"),
    "detail_alert_yellow_m": ("Seuil jaune (m)", "Yellow threshold (m)"),
    "detail_alert_orange_m": ("Seuil orange (m)", "Orange threshold (m)"),
    "detail_alert_red_m": ("Seuil rouge (m)", "Red threshold (m)"),
    "detail_area_km2": ("Bassin versant (km²)", "Catchment (km²)"),
    "detail_latitude_deg": ("Latitude (°)", "Latitude (°)"),
    "detail_latitude_from": ("Latitude tirée de", "Latitude from"),
    "detail_river_names": ("Cours d'eau", "Rivers"),
    "detail_people_from": ("Habitants estimés par", "People estimated from"),
    # heating
    "detail_buildings": ("Bâtiments", "Buildings"),
    "detail_current_schedule": ("Programmation actuelle, tous les jours (la référence des économies)",
                                "Today's programming, every day (the baseline of the savings)"),
    "detail_occupancy": ("Occupation", "Occupancy"),
    "detail_value_occupancy_typical occupancy by building use": ("occupation type selon l'usage du bâtiment",
                                                                 "typical occupancy by building use"),
    "detail_value_occupancy_booking calendar": ("calendrier de réservations", "booking calendar"),
    "detail_value_gains_at_bound_none: every building's gains meet its meter's heating": (
        "aucun : les apports de chaque bâtiment rejoignent le chauffage de son compteur",
        "none: every building's gains meet its meter's heating"),
    "detail_value_rc_model_derived from each gas meter (documented assumptions)": (
        "déduit de chaque compteur de gaz (hypothèses documentées)",
        "derived from each gas meter (documented assumptions)"),
    "detail_rc_model": ("Modèle thermique (RC)", "Thermal model (RC)"),
    "detail_baseline_over_meter": ("Simulation actuelle / compteur", "Baseline simulation / meter"),
    "detail_calibration": ("Calage", "Calibration"),
    "detail_gains_at_bound": ("Apports en butée", "Gains at their bound"),
    # bins
    "detail_fill_model_sigma": ("Écart du modèle de remplissage (σ)", "Fill model spread (σ)"),
    "detail_costs": ("Coûts", "Costs"),
    "detail_fill_model_events": ("Événements du modèle de remplissage", "Fill model events"),
    "detail_market": ("Marché", "Market"),
    "detail_members": ("Membres de l'ensemble", "Ensemble members"),
    "detail_days": ("Jours simulés", "Days simulated"),
    "detail_bins": ("Corbeilles", "Bins"),
    "detail_added_bins": ("Corbeilles ajoutées", "Bins added"),
    # what came from priors (issue 24), and the notes of the parking and water families
    "detail_priors": ("Hypothèses (a priori, sans mesure du territoire)", "Priors (no measurement of the territory)"),
    "detail_supply": ("Offre de stationnement", "Parking supply"),
    "detail_demand": ("Demande", "Demand"),
    "detail_window": ("Période", "Window"),
    "detail_spaces_removed": ("Places supprimées", "Spaces removed"),
    "detail_kerb_edges_generated": ("Tronçons aux places estimées (classe de la rue)", "Street edges with estimated spaces (street class)"),
    "detail_kerb_edges": ("Tronçons de rue", "Street edges"),
    "detail_windows_through_the_day": ("Plages qui traversent toute la journée (inversées ?)",
                                       "Windows running through the whole day (reversed?)"),
    "detail_paying_car_parks": ("Parkings payants selon OpenStreetMap (fee=yes)",
                                "Paying car parks according to OpenStreetMap (fee=yes)"),
    "detail_supply_text": ("{kerb} places en bordure sur {edges} tronçons (estimées d'après la classe de la rue sur "
                           "{generated} des {total} tronçons : SYNTHÉTIQUE), {park} places dans {parks} parkings "
                           "({estimated} capacités estimées)",
                           "{kerb} kerb spaces on {edges} street edges ({generated} of {total} edges estimated from "
                           "the street's class: SYNTHETIC), {park} spaces in {parks} car parks ({estimated} capacities "
                           "estimated)"),
    "detail_demand_text": ("a priori : {turnover} arrivées par place et par jour ({day} par jour), destinations "
                           "pondérées par la surface des bâtiments, durées et heures d'arrivée d'un profil type de "
                           "centre-ville",
                           "prior: {turnover} arrivals per space and day ({day} a day), destinations weighted by the "
                           "buildings' floor area, stays and arrival hours from a typical town-centre profile"),
    "detail_value_priors_demand (turnover, arrival profile, stays, willingness to pay) and untagged kerb spaces": (
        "la demande (rotation, heures d'arrivée, durées, prix accepté) et les places en bordure non relevées",
        "the demand (turnover, arrival hours, stays, willingness to pay) and the kerb spaces not surveyed"),
    "detail_seeds_range": ("{first} à {last} ({n} graines)", "{first} to {last} ({n} seeds)"),
    "detail_floodplain_dem": ("modèle numérique de terrain", "digital elevation model"),
    "detail_floodplain_synthetic": ("SYNTHÉTIQUE, tracé par le modèle ({model})", "SYNTHETIC, drawn by the model ({model})"),
    "detail_people_from_households": ("un ménage par bâtiment résidentiel ou d'usage inconnu (aucun nombre de "
                                      "logements connu)", "one household per residential or unknown-use building (no "
                                      "dwellings known)"),
    "detail_people_from_dwellings": ("les logements de {n} bâtiments (BD TOPO), un ménage par autre bâtiment "
                                     "résidentiel ou d'usage inconnu", "the dwellings of {n} buildings (BD TOPO), one "
                                     "household per other residential or unknown-use building"),
    "detail_value_rating_curve_prior (Manning, compound section)": ("a priori (loi de Manning, lit composé)",
                                                                    "prior (Manning, compound section)"),
    "detail_value_latitude_from_territory defaults": ("réglages du territoire", "the territory's defaults"),
    "detail_value_latitude_from_territory centre": ("centre du territoire", "the territory's centre"),
    "detail_value_latitude_from_given": ("donnée dans le scénario", "given in the scenario"),
    "detail_emergency_none": ("aucun lieu amenity={amenity} sur le territoire : ses indicateurs ne sont pas calculés "
                              "(et non pas nuls)", "no amenity={amenity} in the territory: its indicators are not "
                              "computed (not zero)"),
    "detail_value_emergency_times_free-flow drive at the speed limit from the nearest place to the building (lower "
    "bound: no turnout time, no congestion)": (
        "trajet à vide à la vitesse limite depuis le lieu le plus proche jusqu'au bâtiment (un minimum : sans délai "
        "de départ ni embouteillage)", "free-flow drive at the speed limit from the nearest place to the building (a "
        "lower bound: no turnout time, no congestion)"),
    "detail_flooded_segments": ("{n} tronçons inondés", "{n} flooded segments"),
    "detail_value_flood_variant_baseline": ("la référence de la prévision (sans pluie à venir)",
                                            "the forecast's baseline (no further rain)"),
    "detail_flood_ensemble": ("ensemble de {n} pluies ({base}, cv {cv})", "ensemble of {n} rains ({base}, cv {cv})"),
    "detail_rain_observed": ("pluie tombée", "observed rain"),
    "detail_rain_design": ("pluie de projet", "design storm"),
    "detail_rain_forecast": ("pluie prévue", "rain forecast"),
    "detail_rain_none": ("sans pluie", "no rain"),
    "detail_rain_design_mm": ("pluie de projet de {mm} mm en {hours} h", "design storm of {mm} mm in {hours} h"),
    "detail_rain_forecast_mm": ("pluie prévue de {mm} mm", "rain forecast of {mm} mm"),
    "detail_rain_hindcast": (", rejeu (pluie connue après coup)", ", hindcast (rain known afterwards)"),
    # the windows are drawn at random around the date, not matched on the weather of the days before: a
    # climatology, said so (« analogues » read as a weather forecast's analogs to a hydrologist)
    "detail_flood_analogs": ("ensemble de {n} pluies des saisons passées (tirées au hasard à ±{days} j de la date, "
                             "{first}–{last} : climatologie, pas une prévision météo)",
                             "ensemble of {n} rains of past seasons (drawn at random within ±{days} d of the date, "
                             "{first}–{last}: climatology, not a weather forecast)"),
    "detail_stranded_buildings_text": ("{n} bâtiments n'ont plus d'itinéraire vers la destination : hors de la "
                                       "distance moyenne et des km aller-retour (comptés dans les bâtiments sans "
                                       "itinéraire)", "{n} buildings lose their drive to the destination: left out "
                                       "of the mean distance and the round-trip km (counted in the buildings without "
                                       "a route)"),
    "detail_valves_synthetic": ("SYNTHÉTIQUES : couche stratégique N-{n} de WNTR, graine {seed}",
                                "SYNTHETIC: WNTR's strategic N-{n} layer, seed {seed}"),
    "detail_valves_file": ("fichier {file}", "file {file}"),
    "detail_leakage_text": ("{pct} % de l'eau mise en distribution aujourd'hui, FAVAD",
                            "{pct} % of the water put in today, FAVAD"),
    "detail_people_floor": ("comptées d'après les bâtiments que dessert chaque nœud (a priori du réseau SYNTHÉTIQUE : "
                            "{people} personnes desservies en tout, {m2} m² de plancher par personne dans les "
                            "logements et les bâtiments d'usage inconnu ; à comparer à la population INSEE, à donner "
                            "comme population pour s'y caler)",
                            "counted from the buildings each junction serves (the SYNTHETIC network's prior: {people} "
                            "people on the network in all, {m2} m² of floor a person in housing and unknown-use "
                            "buildings; compare with the INSEE population, and give it as population to scale to it)"),
    "detail_people_given": ("comptées d'après les bâtiments que dessert chaque nœud (a priori du réseau SYNTHÉTIQUE : "
                            "{people} personnes desservies en tout, la population donnée ({given}) répartie selon la "
                            "surface des logements et des bâtiments d'usage inconnu à portée d'une conduite)",
                            "counted from the buildings each junction serves (the SYNTHETIC network's prior: {people} "
                            "people on the network in all, the population given ({given}) shared by floor area over "
                            "the housing and unknown-use buildings within reach of a pipe)"),
    "detail_people_demand": ("estimées d'après la consommation à {litres} L par personne et par jour",
                             "estimated from demand at {litres} L/person/day"),
    "detail_hidden_share": ("{pct} % des pertes réelles qu'implique la part de fuites ({m3} m³/an)",
                            "{pct} % of the real losses leakage_share implies ({m3} m³/year)"),
    "detail_hidden_share_over": ("{pct} % des pertes réelles qu'implique la part de fuites ({m3} m³/an) : plus que "
                                 "toutes — baissez les fréquences de fuites ou l'intervalle des recherches, ou montez la "
                                 "part de fuites, pour retrouver votre bilan d'eau",
                                 "{pct} % of the real losses leakage_share implies ({m3} m³/year): more than all of "
                                 "them — lower the leak frequencies or the survey interval, or raise leakage_share, to "
                                 "match your water balance"),
    "detail_detection_text": ("débit minimum de nuit par secteur, seuil fixé sur {years} années SYNTHÉTIQUES sans "
                              "fuite, fausses alertes comptées sur {years} autres ; délais tirés de {trials} essais "
                              "SYNTHÉTIQUES par secteur et type de fuite",
                              "minimum night flow per district, threshold set on {years} leak-free SYNTHETIC years, "
                              "false alarms counted on {years} others; delays from {trials} SYNTHETIC trials per "
                              "district and kind of leak"),
    "detail_leaks_text": ("fuites non signalées : fréquences non signalées de l'UARL × {scale} : {main} casses de "
                          "conduite /100 km/an et {service} fuites de branchement /1000 branchements/an, pour perdre "
                          "aujourd'hui {pct} % des pertes réelles ; {main_flow} m³/h par casse, {service_flow} m³/h "
                          "par fuite de branchement (débits BABE à la pression moyenne de {pressure} m)",
                          "unreported leaks: UARL's unreported frequencies × {scale}: {main} main bursts/100 km/year "
                          "and {service} service leaks/1000 connections/year, so that today they lose {pct} % of the "
                          "real losses; {main_flow} m³/h a main burst, {service_flow} m³/h a service leak (BABE's flows "
                          "at the mean pressure {pressure} m)"),
    "detail_leaks_given": ("fuites non signalées : fréquences données ; {main_flow} m³/h par casse, {service_flow} m³/h "
                           "par fuite de branchement (débits BABE à la pression moyenne de {pressure} m)",
                           "unreported leaks: frequencies given; {main_flow} m³/h a main burst, {service_flow} m³/h a "
                           "service leak (BABE's flows at the mean pressure {pressure} m)"),
    "detail_value_network_SYNTHETIC: drinking-water network generated under the territory's streets from OSM "
    "(twin.territory.water_prior: pipes by street class, one water tower, demand from buildings)": (
        "SYNTHÉTIQUE : réseau d'eau potable tracé sous les rues du territoire d'après OpenStreetMap (conduites selon "
        "la classe de la rue, un château d'eau, consommation d'après les bâtiments)",
        "SYNTHETIC: drinking-water network drawn under the territory's streets from OpenStreetMap (pipes by street "
        "class, one water tower, demand from the buildings)"),
    "detail_value_materials_all 'mixed' (N1 = 1.15)": ("tous « mixtes » (N1 = 1,15)", "all 'mixed' (N1 = 1.15)"),
    "detail_value_pumps_none: fed by gravity, no pumping energy": (
        "aucune : alimenté par gravité, sans énergie de pompage", "none: fed by gravity, no pumping energy"),
    "detail_value_priors_network, demand and people: SYNTHETIC, from OSM streets and buildings": (
        "réseau, consommation et habitants : SYNTHÉTIQUES, d'après les rues et les bâtiments d'OpenStreetMap",
        "network, demand and people: SYNTHETIC, from OpenStreetMap's streets and buildings"),
    "detail_value_priors_network, demand, people and leakage: SYNTHETIC, from OSM streets and buildings; investment: "
    "project assumption": (
        "réseau, consommation, habitants et fuites : SYNTHÉTIQUES, d'après les rues et les bâtiments "
        "d'OpenStreetMap ; investissement : hypothèse du projet",
        "network, demand, people and leakage: SYNTHETIC, from OpenStreetMap's streets and buildings; investment: "
        "the project's assumption"),
    "detail_value_priors_leak frequencies and flows (BABE, UARL), survey interval, search rate, prices: assumptions "
    "to replace": (
        "fréquences et débits des fuites (BABE, UARL), intervalle des recherches, vitesse de recherche, prix : "
        "hypothèses à remplacer", "leak frequencies and flows (BABE, UARL), survey interval, search rate, prices: "
        "assumptions to replace"),
    "detail_value_priors_leak frequencies and flows (BABE, UARL), survey interval, search rate, prices: assumptions "
    "to replace; network, demand and people: SYNTHETIC, from OSM streets and buildings": (
        "fréquences et débits des fuites (BABE, UARL), intervalle des recherches, vitesse de recherche, prix : "
        "hypothèses à remplacer ; réseau, consommation et habitants : SYNTHÉTIQUES, d'après les rues et les "
        "bâtiments d'OpenStreetMap", "leak frequencies and flows (BABE, UARL), survey interval, search rate, "
        "prices: assumptions to replace; network, demand and people: SYNTHETIC, from OpenStreetMap's streets and "
        "buildings"),
    "detail_setpoint_delta_c": ("Changement des consignes de la variante « consignes modifiées » (°C)",
                                "Setpoint change of the « changed setpoints » variant (°C)"),
    "detail_car_parks_closed": ("Parkings fermés (places)", "Car parks closed (spaces)"),
    "detail_spaces_removed_edges": ("Tronçons où des places sont supprimées", "Street edges with spaces removed"),
    "detail_spaces_removed_hours": ("Heures où elles le sont", "Hours they are removed"),
    "detail_value_spaces_removed_hours_all day": ("toute la période simulée", "the whole period simulated"),
    "detail_network": ("Réseau d'eau", "Water network"),
    "detail_valves": ("Vannes", "Valves"),
    "detail_people": ("Personnes", "People"),
    "detail_broken_pipe": ("Conduite cassée", "Broken pipe"),
    "detail_broken_street": ("Rue de la casse", "Street of the break"),
    "detail_break_s": ("Casse (s depuis le début)", "Break (s from the start)"),
    "detail_isolated_s": ("Isolement (s)", "Isolation (s)"),
    "detail_restored_s": ("Remise en eau (s)", "Water back (s)"),
    "detail_break_at": ("Heure de la casse", "Time of the break"),
    "detail_isolated_at": ("Heure de l'isolement (vannes fermées)", "Time of the isolation (valves shut)"),
    "detail_restored_at": ("Heure de la remise en eau", "Time the water is back"),
    "detail_simulated_h": ("Période simulée (h)", "Simulated period (h)"),
    "detail_leakage": ("Fuites de fond", "Background leakage"),
    "detail_materials": ("Matériaux des conduites", "Pipe materials"),
    "detail_investment_eur": ("Investissement (€)", "Investment (€)"),
    "detail_night_hours": ("Heures de nuit", "Night hours"),
    "detail_service_pressure_m": ("Pression de service (m)", "Service pressure (m)"),
    "detail_prv_settings": ("Consignes des réducteurs", "Valve setpoints"),
    "detail_pumps": ("Pompes", "Pumps"),
    "detail_districts": ("Secteurs", "Districts"),
    "detail_districts_capped": ("Secteurs limités", "Districts capped"),
    "detail_meters": ("Compteurs (conduites)", "Meters (pipes)"),
    "detail_boundaries_closed": ("Limites fermées", "Boundaries shut"),
    "detail_hidden_share_of_real_losses": ("Part des pertes due aux fuites non signalées",
                                           "Share of the real losses from unreported leaks"),
    "detail_leaks": ("Fuites non signalées", "Unreported leaks"),
    "detail_detection": ("Détection", "Detection"),
    # the values from a short list
    "detail_value_forecast": ("prévision (seul ce qui était connu à l'émission)",
                              "forecast (only what was known at issue)"),
    "detail_value_forecast_kind_hindcast (perfect rain)": ("rejeu sur la pluie tombée (connue après coup)",
                                                           "hindcast (perfect rain)"),
    "detail_value_update_fitted_with_observed": ("débits observés", "observed discharge"),
    "detail_value_calibrated": ("calées sur l'historique", "calibrated on the history"),
    "detail_value_output": ("correction du débit simulé", "output correction"),
    "detail_value_nse": ("NSE (Nash-Sutcliffe)", "NSE (Nash-Sutcliffe)"),
    "detail_value_generated": ("générés (synthétiques)", "generated (synthetic)"),
    "detail_value_osm": ("OpenStreetMap", "OpenStreetMap"),
    "detail_value_inventory": ("inventaire importé", "imported inventory"),
    "detail_value_none": ("néant", "none"),
    "detail_value_True": ("oui", "yes"),
    "detail_value_False": ("non", "no"),
}
