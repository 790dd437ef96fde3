/*
 * eventfd2 and timerfd flags (<linux/eventfd.h> is not part of every
 * toolchain's UAPI headers, so the eventfd ones are checked through
 * <linux/fcntl.h>'s O_* values they equal; the timerfd ones against
 * <linux/timerfd.h> by scripts/check-uapi).
 */
#ifndef UAPI_EVENTFD_H
#define UAPI_EVENTFD_H

#include <uapi/fcntl.h>

#define TFD_TIMER_ABSTIME (1 << 0)
#define TFD_TIMER_CANCEL_ON_SET (1 << 1)
#define TFD_CLOEXEC O_CLOEXEC
#define TFD_NONBLOCK O_NONBLOCK

#endif
