"""The app's server runtime, shared by every browser session of one server process.

* :mod:`twin.app.server.workers`: the territory loaded once, the worker processes that run the
  scenarios (each watching that its server is alive), and the shared cache of results;
* :mod:`twin.app.server.memory`: when the garbage collector may pause the server;
* :mod:`twin.app.server.tuning`: the Tornado and Bokeh settings that make pages cheaper to serve;
* :mod:`twin.app.server.delivery`: every change reaches its page (a Panel race could strand one).

The page itself (one per session) is :mod:`twin.app.main`.
"""
