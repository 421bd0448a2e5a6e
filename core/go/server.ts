// cmd/server/main.go: the store the plan chose, an http.Server with every timeout set, and a
// graceful shutdown on SIGINT/SIGTERM. PORT (default 8080), DB_PATH (default data.db) for SQLite.
import { goFile, goString, type GoContext } from './names.js';

const OPEN_SQLITE = `	path := os.Getenv("DB_PATH")
	if path == "" {
		path = "data.db"
	}
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	var s store.Store = db`;

/** cmd/server/main.go. */
export function mainGo(ctx: GoContext): string {
  const open = ctx.store === 'sqlite' ? OPEN_SQLITE : '\ts := store.NewMemory() // lost when the server stops';
  const body = `func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

// run serves until SIGINT or SIGTERM, then lets the requests in flight finish.
func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
${open}
	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           handlers.New(s),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	served := make(chan error, 1)
	go func() {
		log.Printf("listening on :%s", port)
		served <- srv.ListenAndServe()
	}()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}`;
  const doc = `// Command server serves ${ctx.module}: the API on PORT (default 8080)${ctx.store === 'sqlite' ? ', its data in the SQLite database DB_PATH (default data.db)' : ', its data in memory'}.`;
  return `${doc}\n${goFile('main', body, [goString(`${ctx.module}/internal/handlers`), goString(`${ctx.module}/internal/store`)])}`;
}
