/*
 * Unit tests of the line discipline (services/tty/ldisc.c) with a fake
 * terminal that records what is echoed or written and which signals are
 * raised: canonical reads by line, erase (plain, control characters,
 * tabs, UTF-8), kill with and without ECHOKE, ^W, ^D as end of file,
 * ^C/^\/^Z with and without NOFLSH and ISIG, LNEXT, ICRNL/IGNCR/INLCR,
 * ONLCR/OCRNL/ONOCR output, a full buffer (dropping bytes, or stopping
 * for a pty's writers: ldisc_receive_some, ldisc_write_some), mode
 * switches, and the
 * VMIN/VTIME decisions at given times.
 */
#include "unit.h"

#include <string.h>

#include <svc/ldisc.h>
#include <uapi/signal.h>

#define TENTH 100000000ull

static char echoed[8192];
static size_t echoed_len;
static int sigs[8];
static int nsigs;
static struct ldisc ld;

static void fake_output(void *arg, const char *buf, size_t len)
{
	ck_assert_ptr_eq(arg, &ld);
	ck_assert_uint_le(echoed_len + len, sizeof(echoed) - 1);
	memcpy(echoed + echoed_len, buf, len);
	echoed_len += len;
	echoed[echoed_len] = '\0';
}

static void fake_signal(void *arg, int sig)
{
	ck_assert_int_lt(nsigs, 8);
	sigs[nsigs++] = sig;
}

static const struct ldisc_ops fake_ops = { fake_output, fake_signal };

static void fresh(void)
{
	ldisc_init(&ld, &fake_ops, &ld);
	echoed_len = 0;
	echoed[0] = '\0';
	nsigs = 0;
}

static void type(const char *s)
{
	ldisc_receive(&ld, s, strlen(s));
}

/* One read of up to 64 bytes as a string; *eof as ldisc_read's. */
static const char *take(bool *eof)
{
	static char out[65];
	size_t n = ldisc_read(&ld, out, 64, eof);

	out[n] = '\0';
	return out;
}

static const char *take_line(void)
{
	bool eof;

	return take(&eof);
}

static void set_lflag(uint32_t on, uint32_t off)
{
	struct linux_termios t = ld.tio;

	t.c_lflag = (t.c_lflag | on) & ~off;
	ldisc_set_termios(&ld, &t);
}

START_TEST(defaults_are_linux_std_termios)
{
	fresh();
	ck_assert_uint_eq(ld.tio.c_iflag, ICRNL | IXON);
	ck_assert_uint_eq(ld.tio.c_oflag, OPOST | ONLCR);
	ck_assert_uint_eq(ld.tio.c_lflag, ISIG | ICANON | ECHO | ECHOE |
						  ECHOK | ECHOCTL | ECHOKE |
						  IEXTEN);
	ck_assert_uint_eq(ld.tio.c_cc[VINTR], 3);
	ck_assert_uint_eq(ld.tio.c_cc[VERASE], 0177);
	ck_assert_uint_eq(ld.tio.c_cc[VMIN], 1);
	ck_assert_uint_eq(ld.tio.c_cc[VTIME], 0);
}
END_TEST

START_TEST(canonical_reads_whole_lines_and_echoes)
{
	fresh();
	type("ab");
	ck_assert_uint_eq(ldisc_readable(&ld), 0); /* no line yet */
	type("c\rde\n");
	ck_assert_str_eq(echoed, "abc\r\nde\r\n"); /* ICRNL, then ONLCR */
	ck_assert_str_eq(take_line(), "abc\n");
	ck_assert_str_eq(take_line(), "de\n");
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
}
END_TEST

START_TEST(short_reads_split_a_line)
{
	char out[4];
	bool eof;

	fresh();
	type("hello\n");
	ck_assert_uint_eq(ldisc_read(&ld, out, 3, &eof), 3);
	ck_assert(!memcmp(out, "hel", 3));
	ck_assert_str_eq(take_line(), "lo\n");
}
END_TEST

START_TEST(erase_rubs_out_one_character)
{
	fresh();
	type("abc\177\177x\n");
	ck_assert_str_eq(take_line(), "ax\n");
	ck_assert_str_eq(echoed, "abc\b \b\b \bx\r\n");
	/* nothing left to erase: nothing happens */
	fresh();
	type("\177\177q\n");
	ck_assert_str_eq(echoed, "q\r\n");
	ck_assert_str_eq(take_line(), "q\n");
}
END_TEST

START_TEST(erase_of_control_character_takes_two_columns)
{
	fresh();
	type("a\001\177\n"); /* ^A echoes as two columns */
	ck_assert_str_eq(echoed, "a^A\b \b\b \b\r\n");
	ck_assert_str_eq(take_line(), "a\n");
}
END_TEST

START_TEST(erase_of_tab_backs_up_to_its_column)
{
	fresh();
	type("ab\t\177\n");
	/* the tab went from column 2 to 8: six backspaces */
	ck_assert_str_eq(echoed, "ab\t\b\b\b\b\b\b\r\n");
	ck_assert_str_eq(take_line(), "ab\n");
}
END_TEST

START_TEST(erase_takes_a_whole_utf8_character)
{
	struct linux_termios t;

	fresh();
	t = ld.tio;
	t.c_iflag |= IUTF8;
	ldisc_set_termios(&ld, &t);
	type("a\xc3\xa9\177\n");
	ck_assert_str_eq(take_line(), "a\n");
}
END_TEST

START_TEST(erase_without_echoe_echoes_the_character)
{
	fresh();
	set_lflag(0, ECHOE);
	type("ab\177\n");
	ck_assert_str_eq(echoed, "ab^?\r\n");
	ck_assert_str_eq(take_line(), "a\n");
}
END_TEST

START_TEST(kill_drops_the_line)
{
	fresh();
	type("abc\025xy\n");
	ck_assert_str_eq(echoed, "abc\b \b\b \b\b \bxy\r\n"); /* ECHOKE */
	ck_assert_str_eq(take_line(), "xy\n");
	fresh();
	set_lflag(0, ECHOKE);
	type("abc\025d\n");
	ck_assert_str_eq(echoed, "abc^U\r\nd\r\n"); /* ECHOK: a newline */
	ck_assert_str_eq(take_line(), "d\n");
}
END_TEST

START_TEST(werase_drops_the_last_word)
{
	fresh();
	type("one two  \027three\n");
	ck_assert_str_eq(take_line(), "one three\n");
	fresh();
	type("a.b\027\n"); /* stops at the punctuation before the word */
	ck_assert_str_eq(take_line(), "a.\n");
	fresh();
	set_lflag(0, IEXTEN); /* ^W is data without IEXTEN */
	type("ab\027\n");
	ck_assert_str_eq(take_line(), "ab\027\n");
}
END_TEST

START_TEST(eof_at_line_start_reads_as_end_of_file)
{
	bool eof;

	fresh();
	type("\004");
	ck_assert_uint_eq(ldisc_readable(&ld), 1);
	ck_assert_str_eq(take(&eof), "");
	ck_assert(eof);
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	ck_assert_str_eq(echoed, ""); /* EOF is not echoed */
}
END_TEST

START_TEST(eof_after_data_ends_the_line_without_itself)
{
	bool eof;

	fresh();
	type("ab\004cd\n");
	ck_assert_str_eq(take(&eof), "ab");
	ck_assert(!eof);
	ck_assert_str_eq(take(&eof), "cd\n");
	ck_assert(!eof);
}
END_TEST

START_TEST(signal_characters_flush_echo_and_signal)
{
	fresh();
	type("abc\003");
	ck_assert_int_eq(nsigs, 1);
	ck_assert_int_eq(sigs[0], SIGINT);
	ck_assert_str_eq(echoed, "abc^C");
	type("\034\032");
	ck_assert_int_eq(nsigs, 3);
	ck_assert_int_eq(sigs[1], SIGQUIT);
	ck_assert_int_eq(sigs[2], SIGTSTP);
	type("x\n");
	ck_assert_str_eq(take_line(), "x\n"); /* "abc" was flushed */
}
END_TEST

START_TEST(noflsh_keeps_input_and_isig_off_makes_data)
{
	fresh();
	set_lflag(NOFLSH, 0);
	type("ab\003c\n");
	ck_assert_int_eq(nsigs, 1);
	ck_assert_str_eq(take_line(), "abc\n");
	set_lflag(0, ISIG);
	type("\003\n");
	ck_assert_int_eq(nsigs, 1);
	ck_assert_str_eq(take_line(), "\003\n");
}
END_TEST

START_TEST(lnext_quotes_the_next_character)
{
	fresh();
	type("\026\003\026\177\n");
	ck_assert_int_eq(nsigs, 0);
	ck_assert_str_eq(take_line(), "\003\177\n");
}
END_TEST

START_TEST(input_flags_map_carriage_returns)
{
	struct linux_termios t;

	fresh();
	t = ld.tio;
	t.c_iflag = IGNCR;
	ldisc_set_termios(&ld, &t);
	type("a\rb\n");
	ck_assert_str_eq(take_line(), "ab\n");
	t.c_iflag = INLCR; /* \n becomes \r, which ends no line */
	ldisc_set_termios(&ld, &t);
	type("c\nd\004");
	ck_assert_str_eq(take_line(), "c\rd");
	t.c_iflag = ISTRIP;
	ldisc_set_termios(&ld, &t);
	type("\xc1\n");
	ck_assert_str_eq(take_line(), "A\n");
}
END_TEST

START_TEST(echo_off_and_echonl)
{
	fresh();
	set_lflag(0, ECHO);
	type("secret\n");
	ck_assert_str_eq(echoed, "");
	set_lflag(ECHONL, 0);
	type("pw\n");
	ck_assert_str_eq(echoed, "\r\n");
	ck_assert_str_eq(take_line(), "secret\n");
	ck_assert_str_eq(take_line(), "pw\n");
}
END_TEST

START_TEST(output_processing)
{
	struct linux_termios t;

	fresh();
	ldisc_write(&ld, "a\nb", 3);
	ck_assert_str_eq(echoed, "a\r\nb");
	fresh();
	t = ld.tio;
	t.c_oflag = OPOST | OCRNL | ONOCR;
	ldisc_set_termios(&ld, &t);
	ldisc_write(&ld, "\rx\r", 3); /* column 0: the first \r goes */
	ck_assert_str_eq(echoed, "x\n");
	fresh();
	t.c_oflag = ONLCR; /* without OPOST nothing is processed */
	ldisc_set_termios(&ld, &t);
	ldisc_write(&ld, "a\n", 2);
	ck_assert_str_eq(echoed, "a\n");
	fresh();
	t.c_oflag = OPOST | OLCUC;
	ldisc_set_termios(&ld, &t);
	ldisc_write(&ld, "ab1", 3);
	ck_assert_str_eq(echoed, "AB1");
}
END_TEST

START_TEST(long_output_arrives_whole)
{
	char big[1000];

	fresh();
	memset(big, 'z', sizeof(big));
	ldisc_write(&ld, big, sizeof(big));
	ck_assert_uint_eq(echoed_len, sizeof(big));
}
END_TEST

START_TEST(full_buffer_keeps_room_for_the_line_end)
{
	static char junk[LDISC_BUF + 100];

	fresh();
	set_lflag(0, ECHO);
	memset(junk, 'j', sizeof(junk));
	ldisc_receive(&ld, junk, sizeof(junk));
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	type("\n");
	ck_assert_uint_eq(ldisc_readable(&ld), LDISC_BUF);
	ldisc_flush_input(&ld);
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	/* non-canonical: every byte fits until the buffer is full */
	set_lflag(0, ICANON);
	ldisc_receive(&ld, junk, sizeof(junk));
	ck_assert_uint_eq(ldisc_readable(&ld), LDISC_BUF);
}
END_TEST

/* ldisc_receive_some (a pty master's writes): raw input stops where the
 * buffer is full and takes the rest once a read made room; a canonical
 * line that fills the buffer alone still takes (and drops) bytes, but
 * a full buffer with a line to read stops. */
START_TEST(receive_some_stops_at_a_full_buffer)
{
	static char junk[LDISC_BUF + 100];
	char out[64];
	bool eof;

	fresh();
	set_lflag(0, ICANON | ECHO);
	memset(junk, 'r', sizeof(junk));
	ck_assert_uint_eq(ldisc_receive_some(&ld, junk, sizeof(junk)),
			  LDISC_BUF);
	ck_assert(!ldisc_can_receive(&ld));
	ck_assert_uint_eq(ldisc_receive_some(&ld, "x", 1), 0);
	ck_assert_uint_eq(ldisc_read(&ld, out, sizeof(out), &eof),
			  sizeof(out));
	ck_assert(ldisc_can_receive(&ld));
	ck_assert_uint_eq(ldisc_receive_some(&ld, junk, 100), sizeof(out));

	fresh();
	set_lflag(0, ECHO);
	ck_assert_uint_eq(ldisc_receive_some(&ld, junk, sizeof(junk)),
			  sizeof(junk));
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	ck_assert_uint_eq(ldisc_receive_some(&ld, "\n", 1), 1);
	ck_assert_uint_eq(ldisc_readable(&ld), LDISC_BUF);
	ck_assert(!ldisc_can_receive(&ld));
	ck_assert_uint_eq(ldisc_receive_some(&ld, "abc", 3), 0);
}
END_TEST

/* ldisc_write_some (a pty slave's writes) takes only the bytes whose
 * output surely fits: two per byte, for ONLCR's CR LF. */
START_TEST(write_some_fits_the_room)
{
	fresh();
	ck_assert_uint_eq(ldisc_write_some(&ld, "a\nb\nc", 5, 5), 3);
	ck_assert_str_eq(echoed, "a\r\nb");
	ck_assert_uint_eq(ldisc_write_some(&ld, "\nc", 2, 1), 0);
	ck_assert_uint_eq(ldisc_write_some(&ld, "\nc", 2, SIZE_MAX), 2);
	ck_assert_str_eq(echoed, "a\r\nb\r\nc");
}
END_TEST

START_TEST(raw_mode_passes_bytes_at_once)
{
	bool eof;

	fresh();
	set_lflag(0, ICANON | ECHO);
	type("a\177\025\004");
	ck_assert_uint_eq(ldisc_readable(&ld), 4);
	ck_assert_str_eq(take(&eof), "a\177\025\004");
	ck_assert(!eof);
	ck_assert_str_eq(echoed, "");
}
END_TEST

START_TEST(mode_switches_move_the_edited_line)
{
	fresh();
	type("part");
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	set_lflag(0, ICANON);
	ck_assert_uint_eq(ldisc_readable(&ld), 4);
	/* Back in canonical mode the unread bytes are a line of their own
	 * (Linux's push): readable at once, and erase cannot reach them. */
	set_lflag(ICANON, 0);
	ck_assert_uint_eq(ldisc_readable(&ld), 4);
	type("\177x\n");
	ck_assert_str_eq(take_line(), "part");
	ck_assert_str_eq(take_line(), "x\n");
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
}
END_TEST

START_TEST(raw_input_is_one_line_after_a_switch_to_canonical)
{
	fresh();
	set_lflag(0, ICANON);
	/* Typed ahead in raw mode: the newline and ^U are plain data. */
	type("junk\025one\n");
	set_lflag(ICANON, 0);
	ck_assert_uint_eq(ldisc_readable(&ld), 9);
	ck_assert_str_eq(take_line(), "junk\025one\n");
	/* Nothing unread: the next line is edited as usual. */
	set_lflag(0, ICANON);
	set_lflag(ICANON, 0);
	ck_assert_uint_eq(ldisc_readable(&ld), 0);
	type("ab\177c\n");
	ck_assert_str_eq(take_line(), "ac\n");
}
END_TEST

static void set_min_time(uint8_t min, uint8_t time)
{
	struct linux_termios t = ld.tio;

	t.c_lflag &= ~ICANON;
	t.c_cc[VMIN] = min;
	t.c_cc[VTIME] = time;
	ldisc_set_termios(&ld, &t);
}

START_TEST(vmin0_vtime0_returns_at_once)
{
	struct ldisc_read_state r = { .want = 10 };
	uint64_t d;

	fresh();
	set_min_time(0, 0);
	ck_assert(ldisc_read_done(&ld, &r, 0, &d));
}
END_TEST

START_TEST(vmin0_vtime_waits_from_the_start)
{
	struct ldisc_read_state r = { .want = 10, .start_ns = 1000,
				      .last_ns = 1000 };
	uint64_t d;

	fresh();
	set_min_time(0, 5);
	ck_assert(!ldisc_read_done(&ld, &r, 1000, &d));
	ck_assert_uint_eq(d, 1000 + 5 * TENTH);
	ck_assert(ldisc_read_done(&ld, &r, 1000 + 5 * TENTH, &d)); /* 0 bytes */
	r.got = 1;
	ck_assert(ldisc_read_done(&ld, &r, 1001, &d)); /* a byte: done */
}
END_TEST

START_TEST(vmin_without_vtime_waits_for_min_bytes)
{
	struct ldisc_read_state r = { .want = 10 };
	uint64_t d;

	fresh();
	set_min_time(3, 0);
	r.got = 2;
	ck_assert(!ldisc_read_done(&ld, &r, 99 * TENTH, &d));
	ck_assert_uint_eq(d, UINT64_MAX);
	r.got = 3;
	ck_assert(ldisc_read_done(&ld, &r, 0, &d));
	/* asking for fewer than VMIN: that many will do */
	r = (struct ldisc_read_state){ .want = 2, .got = 2 };
	ck_assert(ldisc_read_done(&ld, &r, 0, &d));
}
END_TEST

START_TEST(vmin_vtime_is_an_interbyte_timer)
{
	struct ldisc_read_state r = { .want = 10, .start_ns = 0 };
	uint64_t d;

	fresh();
	set_min_time(4, 2);
	/* no byte yet: the timer has not started */
	ck_assert(!ldisc_read_done(&ld, &r, 50 * TENTH, &d));
	ck_assert_uint_eq(d, UINT64_MAX);
	r.got = 1;
	r.last_ns = 60 * TENTH;
	ck_assert(!ldisc_read_done(&ld, &r, 61 * TENTH, &d));
	ck_assert_uint_eq(d, 62 * TENTH);
	r.got = 2;
	r.last_ns = 61 * TENTH; /* a new byte restarts it */
	ck_assert(!ldisc_read_done(&ld, &r, 62 * TENTH, &d));
	ck_assert_uint_eq(d, 63 * TENTH);
	ck_assert(ldisc_read_done(&ld, &r, 63 * TENTH, &d));
	r.got = 4;
	ck_assert(ldisc_read_done(&ld, &r, 61 * TENTH, &d));
}
END_TEST

START_TEST(disabled_control_characters_are_data)
{
	struct linux_termios t;

	fresh();
	t = ld.tio;
	t.c_cc[VINTR] = 0; /* _POSIX_VDISABLE */
	t.c_cc[VERASE] = 0;
	ldisc_set_termios(&ld, &t);
	ldisc_receive(&ld, "\003\0\177\n", 4);
	ck_assert_int_eq(nsigs, 0);
	ck_assert_uint_eq(ldisc_readable(&ld), 4);
}
END_TEST

START_TEST(reprint_echoes_the_line_again)
{
	fresh();
	type("ab\022");
	ck_assert_str_eq(echoed, "ab^R\r\nab");
	type("\n");
	ck_assert_str_eq(take_line(), "ab\n");
}
END_TEST

static Suite *ldisc_suite(void)
{
	Suite *s = suite_create("ldisc");
	TCase *c = tcase_create("core");

	tcase_add_test(c, defaults_are_linux_std_termios);
	tcase_add_test(c, canonical_reads_whole_lines_and_echoes);
	tcase_add_test(c, short_reads_split_a_line);
	tcase_add_test(c, erase_rubs_out_one_character);
	tcase_add_test(c, erase_of_control_character_takes_two_columns);
	tcase_add_test(c, erase_of_tab_backs_up_to_its_column);
	tcase_add_test(c, erase_takes_a_whole_utf8_character);
	tcase_add_test(c, erase_without_echoe_echoes_the_character);
	tcase_add_test(c, kill_drops_the_line);
	tcase_add_test(c, werase_drops_the_last_word);
	tcase_add_test(c, eof_at_line_start_reads_as_end_of_file);
	tcase_add_test(c, eof_after_data_ends_the_line_without_itself);
	tcase_add_test(c, signal_characters_flush_echo_and_signal);
	tcase_add_test(c, noflsh_keeps_input_and_isig_off_makes_data);
	tcase_add_test(c, lnext_quotes_the_next_character);
	tcase_add_test(c, input_flags_map_carriage_returns);
	tcase_add_test(c, echo_off_and_echonl);
	tcase_add_test(c, output_processing);
	tcase_add_test(c, long_output_arrives_whole);
	tcase_add_test(c, full_buffer_keeps_room_for_the_line_end);
	tcase_add_test(c, receive_some_stops_at_a_full_buffer);
	tcase_add_test(c, write_some_fits_the_room);
	tcase_add_test(c, raw_mode_passes_bytes_at_once);
	tcase_add_test(c, mode_switches_move_the_edited_line);
	tcase_add_test(c, raw_input_is_one_line_after_a_switch_to_canonical);
	tcase_add_test(c, vmin0_vtime0_returns_at_once);
	tcase_add_test(c, vmin0_vtime_waits_from_the_start);
	tcase_add_test(c, vmin_without_vtime_waits_for_min_bytes);
	tcase_add_test(c, vmin_vtime_is_an_interbyte_timer);
	tcase_add_test(c, disabled_control_characters_are_data);
	tcase_add_test(c, reprint_echoes_the_line_again);
	suite_add_tcase(s, c);
	return s;
}

UNIT_SUITE(ldisc_suite);
