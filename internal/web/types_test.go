package web_test

import (
	"maillon/internal/server"
	"maillon/internal/web"
)

type (
	webOptions    = web.Options
	serverOptions = server.Options
)
