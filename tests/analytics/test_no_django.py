import subprocess
import sys


def test_analytics_never_imports_django():
    code = (
        "import sys, msknet.analytics, msknet.analytics.spc, msknet.analytics.phe; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], "
        "'django imported'"
    )

    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, check=False)

    assert result.returncode == 0, result.stderr
