"""The Alertes tab's words (:mod:`twin.app.alerts_tab`)."""

STRINGS = {
    "alerts": ("Alertes", "Alerts"),
    "alerts_intro": ("Ce que la veille automatique des capteurs a trouvé dans leurs relevés : défauts de "
                     "capteur, changements de consommation, corbeilles pleines d'ici 24 h, crues prévues. "
                     "« Acquitter » arrête l'envoi des messages pour cette alerte.",
                     "What the detectors of “twin watch” found in the sensors' readings: sensor faults, changes of "
                     "consumption, bins full within 24 h, forecast floods. “Acknowledge” stops the messages for "
                     "that alert."),
    "alerts_none": ("Aucune alerte ouverte. Les alertes apparaissent ici quand la veille des capteurs est en "
                    "marche (votre équipe technique la lance avec la commande « twin watch »). Pour la liste des "
                    "bâtiments à alerter d'une crue, lancez une prévision dans l'onglet Scénario.", "No open alert. Alerts appear here when “twin watch” follows the territory's "
                    "sensors."),
    "alerts_no_store": ("Ce territoire n'a pas de capteurs : aucune alerte possible.",
                        "This territory has no sensors: no alert is possible."),
    "alerts_ack": ("Acquitter", "Acknowledge"),
    "alerts_acked": ("Acquittée par {who} le {when}", "Acknowledged by {who} on {when}"),
    "alerts_seen": ("Vue le {first}, dernière fois le {last}", "Seen on {first}, last on {last}"),
    "alerts_sent": ("Envoyée à : {to}", "Sent to: {to}"),
    "alerts_not_sent": ("Pas encore envoyée", "Not sent yet"),
    "alerts_closed": ("Terminée le {when}", "Ended on {when}"),
    "alerts_show_closed": ("Afficher les alertes terminées", "Show ended alerts"),
    "alerts_severity_info": ("information", "information"),
    "alerts_severity_warning": ("attention", "warning"),
    "alerts_severity_critical": ("critique", "critical"),
    "alerts_detector_fault": ("Défaut de capteur", "Sensor fault"),
    "alerts_detector_change": ("Changement de comportement", "Change of behaviour"),
    "alerts_detector_bins_full": ("Corbeilles pleines demain", "Bins full tomorrow"),
    "alerts_detector_river_forecast": ("Crue prévue", "Forecast flood"),
    "alerts_detector_lighting": ("Éclairage anormal", "Abnormal lighting"),
}
