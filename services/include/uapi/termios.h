/*
 * The terminal interface (termios(3), ioctl_tty(2)): struct termios and
 * termios2, struct winsize, the flag bits, the c_cc indexes and the tty
 * ioctl numbers, in the generic values both architectures use
 * (asm-generic/termbits.h, asm-generic/ioctls.h). Checked against the
 * toolchain's headers by scripts/check-uapi.
 */
#ifndef UAPI_TERMIOS_H
#define UAPI_TERMIOS_H

#include <stdint.h>

#define NCCS 19

/* TCGETS / TCSETS* */
struct linux_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

/* TCGETS2 / TCSETS*2: the same with the speeds as numbers */
struct linux_termios2 {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
	uint32_t c_ispeed;
	uint32_t c_ospeed;
};

struct linux_winsize {
	uint16_t ws_row;
	uint16_t ws_col;
	uint16_t ws_xpixel;
	uint16_t ws_ypixel;
};

/* c_cc indexes */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

/* c_iflag */
#define IGNBRK 0x001
#define BRKINT 0x002
#define IGNPAR 0x004
#define PARMRK 0x008
#define INPCK 0x010
#define ISTRIP 0x020
#define INLCR 0x040
#define IGNCR 0x080
#define ICRNL 0x100
#define IUCLC 0x0200
#define IXON 0x0400
#define IXANY 0x800
#define IXOFF 0x1000
#define IMAXBEL 0x2000
#define IUTF8 0x4000

/* c_oflag */
#define OPOST 0x01
#define OLCUC 0x00002
#define ONLCR 0x00004
#define OCRNL 0x08
#define ONOCR 0x10
#define ONLRET 0x20

/* c_cflag */
#define CBAUD 0x0000100f
#define B38400 0x0000000f
#define CSIZE 0x00000030
#define CS8 0x00000030
#define CREAD 0x00000080
#define HUPCL 0x00000400
#define CLOCAL 0x00000800

/* c_lflag */
#define ISIG 0x00001
#define ICANON 0x00002
#define ECHO 0x00008
#define ECHOE 0x00010
#define ECHOK 0x00020
#define ECHONL 0x00040
#define NOFLSH 0x00080
#define TOSTOP 0x00100
#define ECHOCTL 0x00200
#define ECHOPRT 0x00400
#define ECHOKE 0x00800
#define FLUSHO 0x01000
#define PENDIN 0x04000
#define IEXTEN 0x08000

/* TCFLSH arguments */
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

/* ioctls */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429
#define TCGETS2 0x802c542a /* _IOR('T', 0x2A, struct termios2) */
#define TCSETS2 0x402c542b /* _IOW('T', 0x2B, struct termios2) */
#define TCSETSW2 0x402c542c
#define TCSETSF2 0x402c542d
/* Unix98 pty masters (ioctl_tty(2)); TIOCPKT's status bits */
#define TIOCPKT 0x5420
#define TIOCGPTN 0x80045430   /* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK 0x40045431 /* _IOW('T', 0x31, int) */
#define TIOCGPKT 0x80045438   /* _IOR('T', 0x38, int) */
#define TIOCGPTLCK 0x80045439 /* _IOR('T', 0x39, int) */
#define TIOCGPTPEER 0x5441    /* _IO('T', 0x41) */
#define TIOCPKT_DATA 0
#define TIOCPKT_FLUSHREAD 1
#define TIOCPKT_FLUSHWRITE 2

#endif
