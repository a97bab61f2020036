// Package picker lets a person choose one of many (accounts and roles):
// a filterable list in a terminal, a numbered list anywhere else (a pipe,
// an IDE's console, a script), so the same command works in both.
//
// It owns: the two ways of choosing and how a typed answer is read.
// It does not own: what the items are or what choosing one does.
package picker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/huh/v2"
)

// ErrCancelled is a person leaving the picker without choosing.
var ErrCancelled = errors.New("nothing chosen")

// Pick shows items under title and returns the chosen index. tty says
// whether in and out are a terminal.
func Pick(ctx context.Context, title string, items []string, in io.Reader, out io.Writer, tty bool) (int, error) {
	if len(items) == 0 {
		return 0, errors.New("there is nothing to choose from")
	}
	if tty {
		return filterable(ctx, title, items, in, out)
	}
	return numbered(title, items, in, out)
}

// filterable is the terminal picker: arrows, / and typing to filter,
// enter to choose; esc or ctrl-c to leave, as in fzf. (Starting in filter
// mode would hide the title behind an input that takes no typing until /.)
func filterable(ctx context.Context, title string, items []string, in io.Reader, out io.Writer) (int, error) {
	opts := make([]huh.Option[int], len(items))
	for i, it := range items {
		opts[i] = huh.NewOption(it, i)
	}
	chosen := -1
	sel := huh.NewSelect[int]().Title(title).Options(opts...).Height(min(len(items)+2, 15)).Value(&chosen)
	keys := huh.NewDefaultKeyMap()
	keys.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"))
	// The form sees esc before the list does: the list's own esc bindings
	// (leave or clear the filter) are never reached, so their help says what esc does.
	keys.Select.SetFilter = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"), key.WithDisabled())
	keys.Select.ClearFilter = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"), key.WithDisabled())
	err := huh.NewForm(huh.NewGroup(sel)).WithKeyMap(keys).WithInput(in).WithOutput(out).RunWithContext(ctx)
	if errors.Is(err, huh.ErrUserAborted) {
		return 0, ErrCancelled
	}
	if err != nil {
		return 0, err
	}
	if chosen < 0 {
		return 0, ErrCancelled
	}
	return chosen, nil
}

// numbered prints the items with numbers and reads one line: a number,
// or an item's exact text.
func numbered(title string, items []string, in io.Reader, out io.Writer) (int, error) {
	fmt.Fprintln(out, title)
	for i, it := range items {
		fmt.Fprintf(out, "%4d) %s\n", i+1, it)
	}
	fmt.Fprintf(out, "Choose 1-%d: ", len(items))
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	line = strings.TrimSpace(line)
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		return 0, ErrCancelled
	}
	if n, err := strconv.Atoi(line); err == nil {
		if n < 1 || n > len(items) {
			return 0, fmt.Errorf("%d is not between 1 and %d", n, len(items))
		}
		return n - 1, nil
	}
	for i, it := range items {
		if it == line {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%q is neither a number nor one of the choices", line)
}
