package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"maillon"
	"maillon/internal/config"
	"maillon/internal/store"
)

const userHelp = `Usage : maillon user add|reset-password|deactivate|list [options]

  add             crée un compte
  reset-password  remplace le mot de passe d'un compte
  deactivate      désactive un compte et ferme ses sessions
  list            liste les comptes d'une structure

Exemples :
  maillon user add --email nadia@exemple.fr --name "Nadia Benali" --role admin --password-file /run/secrets/pw
  maillon user reset-password --email nadia@exemple.fr --generate
  maillon user deactivate --email ancien@exemple.fr
  maillon user list --structure 2

« maillon user <sous-commande> -h » détaille les options.`

func cmdUser(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return usageError{"précisez une sous-commande\n\n" + userHelp}
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], e)
	case "reset-password":
		return userResetPassword(ctx, args[1:], e)
	case "deactivate":
		return userDeactivate(ctx, args[1:], e)
	case "list":
		return userList(ctx, args[1:], e)
	case "-h", "--help", "help":
		fmt.Fprintln(e.stdout, userHelp)
		return nil
	}
	return usageError{"sous-commande inconnue « " + args[0] + " »\n\n" + userHelp}
}

// structureFor returns the structure named by --structure, or the only
// structure of the instance.
func structureFor(ctx context.Context, st *store.Store, flagValue string) (maillon.StructureID, error) {
	op := maillon.OperatorActor()
	if flagValue != "" {
		id, err := strconv.ParseInt(flagValue, 10, 64)
		if err != nil || id <= 0 {
			return 0, usageError{"--structure attend le numéro d'une structure (voir « maillon structure list »)"}
		}
		s, err := st.FindStructureByID(ctx, op, maillon.StructureID(id))
		if err != nil {
			return 0, err
		}
		return s.ID, nil
	}
	all, err := st.FindStructures(ctx, op)
	if err != nil {
		return 0, err
	}
	switch len(all) {
	case 0:
		return 0, fmt.Errorf("aucune structure : créez-en une avec « maillon structure add »")
	case 1:
		return all[0].ID, nil
	}
	return 0, usageError{"plusieurs structures existent : précisez --structure (voir « maillon structure list »)"}
}

func userAdd(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "user add", "user add --email E --name NOM --role ROLE [options]",
		"Crée un compte. Le mot de passe est lu dans --password-file, demandé au terminal\n"+
			"(sans écho) ou lu sur l'entrée standard ; jamais sur la ligne de commande.\n"+
			"Rôles : mediateur, coordinateur, admin.",
		"maillon user add --email nadia@exemple.fr --name \"Nadia Benali\" --role admin",
		"maillon user add --email k@exemple.fr --name Karim --role mediateur --structure 2 --password-file /run/secrets/pw --temporary")
	cf := config.Register(fs, "db")
	email := fs.String("email", "", "adresse e-mail (identifiant de connexion)")
	name := fs.String("name", "", "nom affiché")
	role := fs.String("role", "", "rôle : mediateur, coordinateur ou admin")
	structure := fs.String("structure", "", "numéro de la structure (facultatif s'il n'y en a qu'une)")
	pwFile := fs.String("password-file", "", "fichier contenant le mot de passe")
	temporary := fs.Bool("temporary", false, "mot de passe provisoire : à changer à la première connexion")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *name == "" || *role == "" {
		return usageError{"--email, --name et --role sont obligatoires"}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sid, err := structureFor(ctx, st, *structure)
	if err != nil {
		return err
	}
	pw, err := readPassword(e, *pwFile)
	if err != nil {
		return err
	}
	u, err := st.CreateUser(ctx, maillon.OperatorActor(), sid, maillon.UserInput{
		Email: *email, DisplayName: *name, Role: maillon.Role(*role), Password: pw, MustChangePassword: *temporary,
	})
	if err != nil {
		return fieldsAsText(err)
	}
	fmt.Fprintf(e.stdout, "Compte n° %d créé : %s (%s).\n", u.ID, u.Email, u.Role.Label())
	return nil
}

func userResetPassword(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "user reset-password", "user reset-password --email E [--password-file F | --generate]",
		"Remplace le mot de passe d'un compte, ferme ses sessions et lève un blocage de connexion.\n"+
			"Le nouveau mot de passe est provisoire : il faudra le changer à la prochaine connexion.\n"+
			"Avec --generate, un mot de passe provisoire est tiré au hasard et affiché.",
		"maillon user reset-password --email nadia@exemple.fr --generate",
		"maillon user reset-password --email nadia@exemple.fr --password-file /run/secrets/pw")
	cf := config.Register(fs, "db")
	email := fs.String("email", "", "adresse e-mail du compte")
	pwFile := fs.String("password-file", "", "fichier contenant le nouveau mot de passe")
	generate := fs.Bool("generate", false, "tirer un mot de passe provisoire au hasard et l'afficher")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"--email est obligatoire"}
	}
	if *generate && *pwFile != "" {
		return usageError{"--generate et --password-file s'excluent : choisissez l'un ou l'autre"}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	op := maillon.OperatorActor()
	u, err := st.FindUserByEmail(ctx, op, *email)
	if err != nil {
		return err
	}
	var pw string
	if *generate {
		pw = maillon.TemporaryPassword()
	} else if pw, err = readPassword(e, *pwFile); err != nil {
		return err
	}
	if err := st.ResetPassword(ctx, op, u.ID, pw); err != nil {
		return fieldsAsText(err)
	}
	if *generate {
		fmt.Fprintf(e.stdout, "Mot de passe provisoire de %s : %s\n", u.Email, pw)
	} else {
		fmt.Fprintf(e.stdout, "Mot de passe de %s remplacé ; il devra être changé à la prochaine connexion.\n", u.Email)
	}
	return nil
}

func userDeactivate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "user deactivate", "user deactivate --email E",
		"Désactive un compte : il ne peut plus se connecter et ses sessions sont fermées.\n"+
			"Ce qu'il a saisi reste dans Maillon. Le dernier compte d'administration actif d'une\n"+
			"structure ne peut pas être désactivé.",
		"maillon user deactivate --email ancien@exemple.fr")
	cf := config.Register(fs, "db")
	email := fs.String("email", "", "adresse e-mail du compte")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"--email est obligatoire"}
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	op := maillon.OperatorActor()
	u, err := st.FindUserByEmail(ctx, op, *email)
	if err != nil {
		return err
	}
	if err := st.SetUserActive(ctx, op, u.ID, false); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Compte %s désactivé.\n", u.Email)
	return nil
}

func userList(ctx context.Context, args []string, e env) error {
	fs := newFlagSet(e, "user list", "user list [--structure N]", "Liste les comptes d'une structure.",
		"maillon user list", "maillon user list --structure 2")
	cf := config.Register(fs, "db")
	structure := fs.String("structure", "", "numéro de la structure (facultatif s'il n'y en a qu'une)")
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openFromFlags(ctx, cf, e, true)
	if err != nil {
		return err
	}
	defer st.Close()
	sid, err := structureFor(ctx, st, *structure)
	if err != nil {
		return err
	}
	op := maillon.OperatorActor()
	op.StructureID = sid
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "N°\tE-MAIL\tNOM\tRÔLE\tÉTAT")
	for offset := 0; ; {
		users, total, err := st.FindUsers(ctx, op, maillon.UserFilter{Limit: 500, Offset: offset})
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "actif"
			if !u.Active {
				state = "désactivé"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.DisplayName, u.Role, state)
		}
		offset += len(users)
		if len(users) == 0 || offset >= total {
			break
		}
	}
	return tw.Flush()
}

// fieldsAsText turns per-field validation messages into one readable error
// for the terminal.
func fieldsAsText(err error) error {
	fields := maillon.FieldsOf(err)
	if len(fields) == 0 {
		return err
	}
	msg := maillon.ErrorMessage(err, "")
	names := map[string]string{"email": "--email", "display_name": "--name", "role": "--role", "password": "mot de passe",
		"team_id": "équipe", "name": "--name", "siret": "--siret"}
	for k, v := range fields {
		n := names[k]
		if n == "" {
			n = k
		}
		msg += "\n  " + n + " : " + v
	}
	return fmt.Errorf("%s", msg)
}
