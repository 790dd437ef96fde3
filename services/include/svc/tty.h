/*
 * Terminals (services/tty/): the console as a tty, behind /dev/console
 * and /dev/tty, and Unix98 pseudo-terminals (/dev/ptmx, /dev/pts/N),
 * with a line discipline (<svc/ldisc.h>), termios and job control.
 */
#ifndef SVC_TTY_H
#define SVC_TTY_H

struct file_ops;

/* What an open /dev/console or /dev/tty does (services/tty/tty.c):
 * both are the console; /dev/tty's open is -ENXIO for a process without
 * a controlling terminal, as Linux's tty_open_current_tty. */
extern const struct file_ops tty_console_ops;
extern const struct file_ops tty_current_ops;

/* /dev/ptmx (5:2): each open is a new pty's master; 136:N: pty N's slave
 * (services/tty/pty.c). */
extern const struct file_ops pty_master_ops;
extern const struct file_ops pty_slave_ops;

#endif
