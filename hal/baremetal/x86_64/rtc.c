/*
 * The wall clock of the x86_64 backend: the CMOS real-time clock (MC146818
 * and its descendants, ports 0x70/0x71). It counts whole seconds as a
 * calendar date; hal_wall_clock_ns converts it to Unix time.
 *
 * A read must not straddle the clock's once-a-second update: it waits
 * until the update-in-progress flag (status register A, bit 7) is clear,
 * reads every field, and repeats until two reads in a row agree. Status
 * register B says how the fields are coded: binary or BCD (bit 2) and
 * 24-hour or 12-hour with the PM flag in the hour's top bit (bit 1). The
 * century is register 0x32 (the ACPI FADT default, which QEMU provides);
 * where it reads as nonsense the years are taken as 20xx.
 */
#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80 /* keep NMIs masked while selecting */

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32

#define RTC_A_UIP 0x80    /* update in progress */
#define RTC_B_24H 0x02
#define RTC_B_BINARY 0x04
#define RTC_HOUR_PM 0x80

/* Attempts at a consistent read before giving up on the clock. */
#define RTC_READ_TRIES 8
#define RTC_UIP_SPINS 10000000u

struct rtc_time {
	unsigned sec, min, hour, day, mon, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

/* Waits for the end of an update cycle; false if it never ends. */
static bool rtc_wait_update_done(void)
{
	for (unsigned i = 0; i < RTC_UIP_SPINS; i++)
		if (!(cmos_read(RTC_STATUS_A) & RTC_A_UIP))
			return true;
	return false;
}

static void rtc_read_raw(struct rtc_time *t)
{
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
}

static bool rtc_same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->day == b->day && a->mon == b->mon && a->year == b->year &&
	       a->century == b->century;
}

static unsigned bcd(unsigned v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

/* Decodes the raw fields as status register B says, into 24-hour binary. */
static void rtc_decode(struct rtc_time *t, uint8_t status_b)
{
	bool pm = t->hour & RTC_HOUR_PM;

	t->hour &= ~RTC_HOUR_PM;
	if (!(status_b & RTC_B_BINARY)) {
		t->sec = bcd(t->sec);
		t->min = bcd(t->min);
		t->hour = bcd(t->hour);
		t->day = bcd(t->day);
		t->mon = bcd(t->mon);
		t->year = bcd(t->year);
		t->century = bcd(t->century);
	}
	if (!(status_b & RTC_B_24H)) {
		/* 12-hour clock: 12 AM is 0:xx, 12 PM is 12:xx. */
		if (t->hour == 12)
			t->hour = 0;
		if (pm)
			t->hour += 12;
	}
	if (t->century < 19 || t->century > 99)
		t->century = 20;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
 * days_from_civil, for years from 1900 on). */
static uint64_t days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	unsigned era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

static bool rtc_valid(const struct rtc_time *t)
{
	return t->sec < 60 && t->min < 60 && t->hour < 24 && t->day >= 1 &&
	       t->day <= 31 && t->mon >= 1 && t->mon <= 12 && t->year < 100;
}

/* Two identical reads, each after an update cycle ended; false if the
 * clock never settles. Interrupts off (the index port is global state). */
static bool rtc_read_stable(struct rtc_time *t, uint8_t *status_b)
{
	struct rtc_time again;
	unsigned long irq = hal_irq_save();
	bool ok = false;

	for (int tries = 0; tries < RTC_READ_TRIES && !ok; tries++) {
		if (!rtc_wait_update_done())
			break;
		rtc_read_raw(t);
		if (!rtc_wait_update_done())
			break;
		rtc_read_raw(&again);
		ok = rtc_same(t, &again);
	}
	*status_b = cmos_read(RTC_STATUS_B);
	hal_irq_restore(irq);
	return ok;
}

uint64_t hal_wall_clock_ns(void)
{
	struct rtc_time t;
	uint8_t status_b;
	uint64_t secs;
	unsigned year;

	if (!rtc_read_stable(&t, &status_b))
		return 0;
	rtc_decode(&t, status_b);
	year = t.century * 100 + t.year;
	if (!rtc_valid(&t) || year < 1970)
		return 0;
	secs = ((days_since_epoch(year, t.mon, t.day) * 24 + t.hour) * 60 +
		t.min) * 60 + t.sec;
	return secs * 1000000000ull;
}
