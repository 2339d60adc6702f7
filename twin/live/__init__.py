"""The live twin: it follows the sensors as their files arrive (issue 20). :mod:`twin.live.inbox` takes
new files from an inbox folder into the sensor store, once each, whatever happens to the process."""
