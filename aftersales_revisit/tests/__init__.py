from . import test_aftersales_call
from . import test_aftersales_call_escalation
from . import test_aftersales_revisit_cron
from . import test_aftersales_revisit_lifecycle
from . import test_aftersales_revisit_plan
from . import test_aftersales_revisit_security
from . import test_customer_file
from . import test_tour
