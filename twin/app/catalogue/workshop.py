"""Strings of the page's workshop part: {key: (French, English)}."""

STRINGS: dict[str, tuple[str, str]] = {
    # joining
    "workshop_code": ("Code de l'atelier", "Workshop code"),
    "workshop_code_placeholder": ("6 chiffres, donnés par l'animateur", "6 digits, given by the facilitator"),
    "workshop_name": ("Votre nom", "Your name"),
    "workshop_name_placeholder": ("Prénom Nom", "First name Last name"),
    "workshop_join": ("Rejoindre l'atelier", "Join the workshop"),
    "workshop_joined": ("Vous participez sous le nom « {name} ».", "You take part as “{name}”."),
    "workshop_facilitator": ("Vous animez l'atelier{name}.", "You facilitate the workshop{name}."),
    "workshop_set_aside": ("Variantes écartées ({n}) : absentes du vote et du dossier, rétablissables",
                           "Variants set aside ({n}): out of the vote and the pack, can be restored"),
    "workshop_restore": ("Rétablir", "Restore"),
    "workshop_project": ("À projeter pour les participants : adresse {url} — code de l'atelier {code}.",
                         "To show the participants: address {url} — workshop code {code}."),
    "workshop_join_first": ("Rejoignez d'abord l'atelier (onglet Atelier : code et nom) : chaque variante proposée "
                            "porte le nom de son auteur.",
                            "Join the workshop first (Workshop tab: code and name): each variant proposed carries "
                            "its author's name."),
    "workshop_bad_name": ("Nom refusé : il faut entre 1 et {max} caractères, sans caractère de contrôle.",
                          "Name refused: 1 to {max} characters are expected, no control character."),
    "workshop_bad_code": ("Code de l'atelier incorrect : saisissez les 6 chiffres affichés par l'animateur.",
                          "Wrong workshop code: type the 6 digits the facilitator shows."),
    "workshop_too_many_tries": ("Trop de codes incorrects : réessayez dans {seconds} s.",
                                "Too many wrong codes: try again in {seconds} s."),
    # cards
    "workshop_vote": ("Voter", "Vote"),
    "workshop_unvote": ("Retirer mon vote", "Take my vote back"),
    "workshop_vote_closed_button": ("Vote clos", "Vote closed"),
    "workshop_votes": ("{n} vote(s)", "{n} vote(s)"),
    "workshop_voted_elsewhere": ("Déjà voté sous ce nom", "Already voted under this name"),
    "workshop_not_your_vote": ("Ce vote a été donné sous ce nom depuis une autre page : seule cette page peut le "
                               "retirer.", "This vote was cast under this name from another page: only that page "
                               "can take it back."),
    # the voting rule (WorkshopState.vote), and without --workshop the warning that nothing is checked
    "workshop_rule": ("Chacun peut soutenir plusieurs variantes, une voix par variante ; un second clic la retire "
                      "tant que le vote est ouvert. Le vote est nominatif : le dossier de séance nomme qui a "
                      "soutenu chaque variante.", "Everyone may support several variants, one vote per variant; "
                      "a second click takes it back while the vote is open. Votes are by name: the meeting pack "
                      "names who supported each variant."),
    "workshop_rule_free": ("Seule la page qui a voté peut retirer son vote.",
                           "Only the page that cast a vote can take it back."),
    "workshop_unchecked": ("Votes non vérifiés : sans code d'atelier, chacun peut voter sous n'importe quel nom, et "
                           "chaque page a les outils de l'animateur. Les votes donnent l'avis de la salle, pas un "
                           "scrutin. Pour un code d'accès et un lien animateur, la personne qui a lancé "
                           "l'application la relance en mode atelier :",
                           "Votes are not checked: without a workshop code, anyone can vote under any name, and "
                           "every page has the facilitator's tools. The votes show the room's opinion, not a ballot. "
                           "For a join code and a facilitator link, whoever started the app starts it again in "
                           "workshop mode:"),
    "workshop_by": ("proposée par {name}", "proposed by {name}"),
    "workshop_vote_needs_name": ("Pour voter, rejoignez l'atelier avec votre nom.",
                                 "To vote, join the workshop with your name."),
    "workshop_not_yours": ("Seul l'auteur de la variante ou l'animateur peut l'écarter.",
                           "Only the variant's author or the facilitator can discard it."),
    "workshop_facilitator_only": ("Réservé à l'animateur de l'atelier.", "For the workshop's facilitator only."),
    # facilitator
    "workshop_spread": ("Dispersion des propositions", "Spread of the proposals"),
    "workshop_spread_params": ("Paramètres proposés", "Parameters proposed"),
    "workshop_spread_kpis": ("Indicateurs : minimum, médiane, maximum des variantes",
                             "KPIs: minimum, median, maximum over the variants"),
    "workshop_spread_empty": ("Aucune variante à comparer.", "No variant to compare."),
    "workshop_freeze": ("Figer l'atelier", "Freeze the workshop"),
    "workshop_freeze_help": ("Clore le vote et garder l'état du mur (variantes, votes) pour le dossier de séance",
                             "Close the vote and keep the wall as it is (variants, votes) for the meeting pack"),
    "workshop_frozen": ("Atelier figé le {when} : {n} variante(s), {votes} vote(s). Vote clos ; le dossier de séance "
                        "reprend cet instantané.", "Workshop frozen on {when}: {n} variant(s), {votes} vote(s). Vote "
                        "closed; the meeting pack uses this snapshot."),
    "workshop_welcome_back": ("Vous êtes de retour sous le nom « {name} ».", "Welcome back as “{name}”."),
    "workshop_last_frozen": ("Dernier instantané : {when}.", "Last snapshot: {when}."),
    # the round: a freeze closes the vote, « Rouvrir le vote » starts the next round
    "workshop_vote_closed": ("Vote clos le {when} : l'atelier est figé, votre vote n'est plus pris. L'animateur peut "
                             "rouvrir le vote pour une nouvelle manche.", "Vote closed on {when}: the workshop is "
                             "frozen, your vote is not taken. The facilitator can reopen the vote for a new round."),
    "workshop_discard_closed": ("Vote clos le {when} : l'atelier est figé, votre variante reste dans le dossier. "
                                "L'animateur peut rouvrir le vote.",
                                "Vote closed on {when}: the workshop is frozen, your variant stays in the pack. The "
                                "facilitator can reopen the vote."),
    "workshop_save_closed": ("Vote clos le {when} : l'atelier est figé, votre variante n'est pas enregistrée. "
                             "Proposez-la quand l'animateur rouvrira le vote (manche {round} terminée).",
                             "Vote closed on {when}: the workshop is frozen and your variant is not saved. "
                             "Propose it when the facilitator reopens the vote (round {round} over)."),
    "workshop_join_closed": ("Vote clos le {when} : l'atelier est figé, il ne prend plus de nouveau participant. "
                             "L'animateur peut rouvrir le vote pour une nouvelle manche.",
                             "Vote closed on {when}: the workshop is frozen and takes no new participant. The "
                             "facilitator can reopen the vote for a new round."),
    "workshop_round_closed": ("Vote clos le {when} (manche {round}) : l'atelier est figé, les votes ne sont plus pris. "
                              "Le dossier de séance reprend cet instantané.",
                              "Vote closed on {when} (round {round}): the workshop is frozen, votes are no longer "
                              "taken. The meeting pack uses this snapshot."),
    "workshop_round_closed_boss": ("« Rouvrir le vote » commence la manche {next} : chacun peut alors voter de "
                                   "nouveau ou changer son vote.", "“Reopen the vote” starts round {next}: everyone "
                                   "can then vote again or change their vote."),
    "workshop_round_closed_guest": ("L'animateur peut rouvrir le vote pour une nouvelle manche.",
                                    "The facilitator can reopen the vote for a new round."),
    "workshop_round_open": ("Manche {round} ouverte le {when} : vous pouvez voter et changer votre vote. Les votes "
                            "figés le {frozen} restent dans l'instantané de la manche {previous}.",
                            "Round {round} opened on {when}: you can vote and change your vote. The votes frozen on "
                            "{frozen} stay in round {previous}'s snapshot."),
    "workshop_round_open_boss": ("Le dossier de séance reprend l'instantané du {frozen} tant que vous ne figez pas de "
                                 "nouveau.", "The meeting pack uses the snapshot of {frozen} until you freeze again."),
    "workshop_reopen": ("Rouvrir le vote (nouvelle manche)", "Reopen the vote (new round)"),
    "workshop_reopened": ("Manche {round} ouverte : les participants peuvent voter de nouveau.",
                          "Round {round} opened: participants can vote again."),
    "workshop_pack": ("Télécharger le dossier de séance", "Download the meeting pack"),
    "workshop_pack_failed": ("Le dossier de séance n'a pas pu être produit : {why}",
                             "The meeting pack could not be made: {why}"),
    "workshop_participants": ("Participants ({n}) : {names}", "Participants ({n}): {names}"),
    "workshop_similar_names": ("Noms proches : {names} — peut-être une seule personne.",
                               "Similar names: {names} — perhaps one person."),
    # columns
    "workshop_col_variant": ("Variante", "Variant"),
    "workshop_col_author": ("Auteur", "Author"),
    "workshop_col_family": ("Famille", "Family"),
    "workshop_col_votes": ("Votes", "Votes"),
    "workshop_col_changes": ("Principaux écarts à la référence", "Main changes against the baseline"),
    "workshop_col_param": ("Paramètre", "Parameter"),
    "workshop_col_values": ("Valeurs proposées (nombre de variantes)", "Values proposed (number of variants)"),
    "workshop_col_kpi": ("Indicateur", "KPI"),
    "workshop_col_n": ("Variantes", "Variants"),
    "workshop_col_min": ("Min.", "Min"),
    "workshop_col_median": ("Médiane", "Median"),
    "workshop_col_max": ("Max.", "Max"),
    # the meeting pack
    "workshop_pack_title": ("Dossier de séance — atelier de {name}", "Meeting pack — {name} workshop"),
    "workshop_pack_annex_title": ("Annexes du dossier de séance — {name}", "Meeting pack annexes — {name}"),
    "workshop_pack_frozen": ("Instantané figé le {when}", "Snapshot frozen on {when}"),
    "workshop_pack_live": ("État de l'atelier au {when} (non figé)", "Workshop as of {when} (not frozen)"),
    "workshop_pack_participants": ("{n} participant(s)", "{n} participant(s)"),
    "workshop_pack_variants": ("Variantes proposées ({n}), par nombre de votes",
                               "Variants proposed ({n}), by number of votes"),
    "workshop_pack_more": ("… et {n} autre(s) variante(s) : voir les annexes.",
                           "… and {n} more variant(s): see the annexes."),
    "workshop_pack_contents": ("Contenu du dossier", "Contents of the pack"),
    "workshop_pack_no_change": ("aucun écart", "no change"),
    "workshop_pack_beside": ("Calculée à côté de la variante proposée, par rapport à la même situation actuelle ; "
                             "elle ne compte pas comme une proposition.", "Computed beside the proposed variant, "
                             "against the same baseline; it does not count as a proposal."),
    "workshop_col_value": ("Valeur", "Value"),
    "workshop_col_change": ("Écart à la référence", "Change from the baseline"),
    "workshop_pack_no_param_change": ("valeurs par défaut", "default values"),
    "workshop_pack_votes": ("{n} vote(s)", "{n} vote(s)"),
    "workshop_pack_no_outcome": ("Variante enregistrée sans ses couches (version antérieure) : ses indicateurs "
                                 "seuls figurent au dossier.",
                                 "Variant saved without its layers (older version): only its KPIs are in the pack."),
    "workshop_pack_layers": ("Couches (couches.gpkg) et listes d'alerte", "Layers (couches.gpkg) and alert lists"),
    "workshop_pack_rows": ("{n} ligne(s)", "{n} row(s)"),
    "workshop_pack_no_geometry": ("{n} sans géométrie (identifiant absent du territoire)",
                                  "{n} without geometry (id not in the territory)"),
    # plain text of a scenario's parameters (twin.app.param_text): labels the forms do not have, values, rules
    # the all-LED variant a run computes beside the proposal; its parameter is said by the form's label
    # (« Variante tout LED : oui » beside « Cette variante passe tout en LED : non » read as a contradiction)
    "workshop_variant_led_retrofit": ("Variante tout LED", "All-LED variant"),
    "workshop_label_rain_forecast_file": ("Fichier de pluie prévue (CSV)", "Rain forecast file (CSV)"),
    "workshop_label_booking_ics_text": ("Calendrier de réservations déposé", "Booking calendar uploaded"),
    "workshop_param_yes": ("oui", "yes"),
    "workshop_param_no": ("non", "no"),
    "workshop_param_no_calendar": ("aucun : occupation type selon l'usage du bâtiment",
                                   "none: typical occupancy by building use"),
    "workshop_param_page": ("non : valeur de départ de la page", "no: the page's starting value"),
    "workshop_param_empty": ("vide (valeur par défaut)", "empty (default)"),
    "workshop_param_all_day": ("toute la journée (de 00:00 à 24:00)", "all day (00:00 to 24:00)"),
    "workshop_param_territory_own": ("propre au territoire (sa configuration)", "the territory's own (its configuration)"),
    "workshop_param_file": ("fichier « {name} »", "file “{name}”"),
    "workshop_param_content": ("contenu déposé ({n} caractères)", "uploaded content ({n} characters)"),
    "workshop_param_content_named": ("« {name} » ({n} caractères)", "« {name} » ({n} characters)"),
    "workshop_param_polygon": ("zone dessinée sur la carte", "zone drawn on the map"),
    "workshop_param_new_car_park": ("près de {near}, {spaces} places, {price}", "near {near}, {spaces} spaces, {price}"),
    "workshop_param_free": ("gratuit", "free"),
    "workshop_param_many": ("{n} valeurs, de {low} à {high}", "{n} values, from {low} to {high}"),
    "workshop_param_points": ("{n} point(s) : {points}", "{n} point(s): {points}"),
    "workshop_param_more": ("… et {n} autre(s)", "… and {n} more"),
    "workshop_param_bin": ("corbeille {id}", "bin {id}"),
    "workshop_param_building": ("bâtiment {id}", "building {id}"),
    "workshop_param_gr4": ("X1 {x1} mm, X2 {x2} mm/h, X3 {x3} mm, X4 {x4} h", "X1 {x1} mm, X2 {x2} mm/h, X3 {x3} mm, X4 {x4} h"),
    "workshop_hour": ("{h} h", "{hh}:00"),
    "workshop_hour_min": ("{h} h {mm}", "{hh}:{mm}"),
    "workshop_hour_range": ("{a} – {b}", "{a} – {b}"),
    # lighting rules as sentences
    "workshop_rule_off": ("Éteindre de {a} à {b}", "Switch off from {a} to {b}"),
    "workshop_rule_spans_day": (" (attention : cette plage traverse toute la journée ; la nuit, l'éclairage ne "
                                "serait allumé que de {b} à {a} — vouliez-vous de {b} à {a} ?)",
                                " (beware: this window runs through the whole day; at night the lamps would be lit "
                                "only from {b} to {a} — did you mean from {b} to {a}?)"),
    "workshop_rule_spans_day_dim": (" (attention : cette plage traverse toute la journée ; la nuit, l'éclairage "
                                    "resterait à pleine puissance de {b} à {a} — vouliez-vous de {b} à {a} ?)",
                                    " (beware: this window runs through the whole day; at night the lamps would "
                                    "stay at full power from {b} to {a} — did you mean from {b} to {a}?)"),
    "workshop_rule_in_daylight": (" (attention : en plein jour toute l'année, l'éclairage est déjà éteint à ces "
                                  "heures ; cette règle n'économise rien)",
                                  " (beware: broad daylight all year round, the lamps are already off then; this "
                                  "rule saves nothing)"),
    "workshop_rule_dim": ("Abaisser à {level} % de {a} à {b}", "Dim to {level} % from {a} to {b}"),
    "workshop_rule_weekdays": ("En semaine (nuits du dimanche au jeudi), {what}",
                               "On weekdays (Sunday to Thursday nights), {what}"),
    "workshop_rule_weekend": ("le week-end (nuits de vendredi et samedi), {what}",
                              "at weekends (Friday and Saturday nights), {what}"),
    "workshop_rule_any_day": ("et quel que soit le jour, {what}", "and whatever the day, {what}"),
    "workshop_rule_lit_all_night": ("allumé toute la nuit", "lit all night"),
    "workshop_rule_full_nights": ("allumé toute la nuit {n} soir(s) de fête", "lit all night on {n} special evening(s)"),
    "workshop_rule_events": ("allumé pendant les réservations du calendrier", "lit during the calendar's bookings"),
    "workshop_rule_all_night": ("Allumé toute la nuit", "Lit all night"),
    "workshop_rule_keep_near": ("Garder allumé à {radius} m de : {places}", "Keep lit within {radius} m of: {places}"),
    "workshop_rule_zone_polygon": ("Zone dessinée sur la carte", "Zone drawn on the map"),
    "workshop_rule_zone_all": ("tous les lampadaires", "every lamp"),
    "workshop_rule_zone_near": ("à {radius} m de : {places}", "within {radius} m of: {places}"),
    "workshop_rule_zone_highway": ("{classes}", "{classes}"),
    "workshop_rule_zone_cabinets": ("armoires {ids}", "cabinets {ids}"),
    "workshop_rule_expert": ("règle d'expert (fichier)", "expert rule (file)"),
    "workshop_rule_none": ("aucune règle : l'éclairage reste comme aujourd'hui", "no rule: the lighting stays as it is"),
    "workshop_highway_motorway": ("autoroutes", "motorways"),
    "workshop_highway_trunk": ("voies express", "trunk roads"),
    "workshop_highway_primary": ("routes principales", "primary roads"),
    "workshop_highway_secondary": ("routes secondaires", "secondary roads"),
    "workshop_highway_tertiary": ("routes tertiaires", "tertiary roads"),
    "workshop_highway_residential": ("rues résidentielles", "residential streets"),
    "workshop_highway_unclassified": ("routes non classées", "unclassified roads"),
    "workshop_highway_living_street": ("zones de rencontre", "living streets"),
    "workshop_highway_service": ("voies de desserte", "service roads"),
    "workshop_highway_pedestrian": ("rues piétonnes", "pedestrian streets"),
    "workshop_highway_link": ("bretelles", "slip roads"),
    # variants a run computes beside the proposal (the model's English names), said for people
    "workshop_variant_retrofit": ("Variante rénovation de l'enveloppe", "Envelope retrofit variant"),
    "workshop_variant_setpoint": ("Variante consignes modifiées", "Changed setpoints variant"),
    "workshop_variant_bms": ("Variante pilotage automatique (GTB) + horaires selon les réservations", "BMS + booking schedule variant"),
    "workshop_variant_booking": ("Variante horaires selon les réservations", "Booking schedule variant"),
    "workshop_variant_other": ("Variante « {name} »", "Variant “{name}”"),
    "workshop_report_pinned_only": ("Ce rapport ne compare que les variantes épinglées ({n} sur {total}) : "
                                    "désépinglez-les pour les comparer toutes.",
                                    "This report compares only the pinned variants ({n} of {total}): unpin them to "
                                    "compare them all."),
    "workshop_variant_own": ("variante proposée", "proposed variant"),
    # the spread (facilitator's view and the annexes)
    "workshop_spread_same": ("Identiques dans toutes les variantes, valeurs par défaut ({n}) : {labels}.",
                             "Same in every variant, default values ({n}): {labels}."),
    "workshop_spread_proposals": ("Variantes proposées", "Variants proposed"),
    "workshop_spread_beside": ("{variant} (calculée à côté de chaque variante qui la coche, sans compter comme "
                               "une proposition)", "{variant} (computed beside each variant that ticks it, not "
                               "counted as a proposal)"),
    "workshop_spread_kept": ("valeur par défaut", "default value"),
    # what each layer of couches.gpkg holds (the model's description is English): workshop_table_<family>_<table>
    "workshop_table_bins_bins": ("chaque corbeille de chaque variante (les corbeilles ajoutées sont « new-k ») : son "
                                 "volume, ses passages prévus, ses heures pleines", "each bin of each variant (added "
                                 "bins are 'new-k'): its body, its planned collections, its hours full"),
    "workshop_table_flood_buildings_to_alert": ("bâtiments sous l'eau au 90e centile du pic prévu, les plus profonds "
                                                "d'abord", "buildings under water at the 90th percentile of the "
                                                "forecast peak, deepest first"),
    "workshop_table_flood_streets_to_close": ("tronçons de rue carrossables sous l'eau au pic prévu, à fermer",
                                              "drivable street edges under water at the forecast peak, to close"),
    "workshop_table_flood_detours_streets": ("débit à l'heure de pointe sur chaque tronçon, sans et avec les rues "
                                             "fermées par la crue", "peak-hour flow on every street edge, without and "
                                             "with the flood's closures"),
    "workshop_table_flood_detours_streets_to_close": ("tronçons de rue fermés : sous l'eau au pic médian de la crue",
                                                      "street segments closed: under water at the flood's median peak"),
    "workshop_table_flood_detours_buildings": ("temps d'accès depuis la caserne de pompiers et l'hôpital les plus "
                                               "proches jusqu'à chaque bâtiment", "drive time from the nearest fire "
                                               "station / hospital to each building"),
    "workshop_table_heating_buildings": ("gaz, économie et confort de chaque bâtiment simulé dans chaque variante",
                                         "gas, saving and comfort of every simulated building in every variant"),
    "workshop_table_lighting_lamps": ("chaque lampadaire dans chaque variante sur l'année : l'horaire suivi, sa "
                                      "puissance, ses heures d'allumage et son énergie ; l'horloge que son armoire doit "
                                      "avoir", "each lamp in each variant over the year: the schedule it follows, its "
                                      "power, hours lit and energy; the clock its cabinet needs"),
    "workshop_table_roadworks_cut_off_buildings": (
        "bâtiments coupés du reste du réseau de rues pendant les travaux : sortie en voiture encore possible "
        "(sortie_possible), accès encore possible (acces_possible)",
        "buildings cut off from the rest of the street network during the works: whether a car can still leave "
        "them (can_leave) or reach them (can_be_reached)"),
    "workshop_table_roadworks_streets": ("débit à l'heure de pointe sur chaque tronçon, sans et avec les travaux",
                                         "peak-hour flow on every street edge, without and with the works"),
    "workshop_table_street_closure_closed_streets": ("tronçons de rue fermés, avec leur nom et leur longueur",
                                                     "the street edges closed, with their name and length"),
    "workshop_table_other": ("table « {name} » du modèle", "the model's table “{name}”"),
    # the command line (twin app --workshop)
    "workshop_cli_participants": ("Atelier — participants : {url}  code de l'atelier : {code}",
                                  "Workshop — participants: {url}  workshop code: {code}"),
    "workshop_cli_facilitator": ("Atelier — animateur (lien à ne pas diffuser) : {url}",
                                 "Workshop — facilitator (keep this link private): {url}"),
    "workshop_cli_loopback": ("Attention : servi sur 127.0.0.1, l'atelier n'est joignable que depuis cette machine ; "
                              "pour les portables des participants : twin app --workshop --address 0.0.0.0 --port {port}",
                              "Note: served on 127.0.0.1, the workshop is reachable from this machine only; for the "
                              "participants' laptops: twin app --workshop --address 0.0.0.0 --port {port}"),
    # a payback's spread leaves out the variants that invest nothing (twin.app.meeting_pack.spread_rows)
    "workshop_spread_nothing_invested": ("{n} sans investissement", "{n} with nothing invested"),
}
