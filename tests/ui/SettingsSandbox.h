#pragma once
// Points QSettings at a fresh temporary folder for the life of the object (make it a member
// of the test class), so that ui tests neither read nor change the user's studio settings,
// and a value remembered by one run (training settings, filters, layout) cannot change the
// next.

#include <QSettings>
#include <QString>
#include <QTemporaryDir>

namespace aape::test {

class SettingsSandbox final {
public:
    SettingsSandbox()
    {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    }
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

} // namespace aape::test
