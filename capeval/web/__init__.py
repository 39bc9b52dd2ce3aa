"""The web console and the HTTP API: an edge over the services, as the CLI is.

`create_app(runtime)` builds the FastAPI application; `capeval web` serves it with uvicorn. Pages are
server-rendered (zh-CN first, English on request) and work without JavaScript; the API lives under
`/api/v1`. No rule lives here: every page reads through `capeval.services` and every action goes to a
service handler with the signed-in person as the actor.
"""
