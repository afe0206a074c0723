"""A clock that tests advance instead of waiting: `clock()` is the time, `clock.sleep(s)` moves it on."""


class FakeClock:
    def __init__(self, now=0.0):
        self.now = now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
